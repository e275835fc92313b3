"""The GraphQL documents the Wiz client sends.

Selections follow Wiz's GraphQL schema (types ``Issue``, ``VulnerabilityFinding``,
``CloudResource``; input ``IssueFilters``/``VulnerabilityFindingFilters`` with
``updatedAt: {after}``) and the issue and vulnerability queries Elastic's Wiz
integration runs against real tenants (shared/realdata/cnapp-api/wiz/*.query.graphql).
Each asks for ``pageInfo { hasNextPage endCursor }`` and takes ``$first``/``$after``.
"""

from __future__ import annotations

__all__ = ["CLOUD_RESOURCES", "ISSUES", "VULNERABILITY_FINDINGS"]

ISSUES = """
query PostureIssues($filterBy: IssueFilters, $first: Int, $after: String, $orderBy: IssueOrder) {
  issues: issuesV2(filterBy: $filterBy, first: $first, after: $after, orderBy: $orderBy) {
    nodes {
      id type status severity createdAt updatedAt dueAt resolvedAt statusChangedAt
      sourceRule {
        __typename
        ... on Control { id name controlDescription: description resolutionRecommendation
          securitySubCategories { title category { name framework { name } } } }
        ... on CloudEventRule { id name cloudEventRuleDescription: description sourceType type }
        ... on CloudConfigurationRule { id name
          cloudConfigurationRuleDescription: description remediationInstructions serviceType }
      }
      entitySnapshot { id type nativeType name status cloudPlatform cloudProviderURL
        providerId region resourceGroupExternalId subscriptionExternalId subscriptionName
        subscriptionTags tags externalId }
      projects { id name slug businessUnit riskProfile { businessImpact } }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""

VULNERABILITY_FINDINGS = """
query PostureVulnerabilityFindings($filterBy: VulnerabilityFindingFilters, $first: Int,
    $after: String, $orderBy: VulnerabilityFindingOrder) {
  vulnerabilityFindings(filterBy: $filterBy, first: $first, after: $after, orderBy: $orderBy) {
    nodes {
      id portalUrl name CVEDescription CVSSSeverity severity vendorSeverity score
      cvssv3 { vectorString } epssProbability epssPercentile hasExploit hasCisaKevExploit hasFix
      status firstDetectedAt lastDetectedAt resolvedAt updatedAt detailedName version
      fixedVersion detectionMethod locationPath dataSourceName
      artifactType { group osPackageManager codeLibraryLanguage }
      vulnerableAsset {
        ... on VulnerableAssetBase { id type name region providerUniqueId cloudProviderURL
          cloudPlatform status subscriptionName subscriptionExternalId subscriptionId tags }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""

CLOUD_RESOURCES = """
query PostureCloudResources($filterBy: CloudResourceFilters, $first: Int, $after: String) {
  cloudResources(filterBy: $filterBy, first: $first, after: $after) {
    nodes {
      id name type nativeType providerId region cloudPlatform subscriptionExternalId status
      tags { key value } firstSeen lastSeen
      graphEntity { id properties }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""
