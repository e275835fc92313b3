-- 0004: threat intelligence on vulnerabilities (CISA KEV, FIRST EPSS), written by
-- `posture enrich` (store/intel.py). Loads never write these columns, so a sync keeps them.

ALTER TABLE raw.vulnerabilities ADD COLUMN epss_percentile DOUBLE;
ALTER TABLE raw.vulnerabilities ADD COLUMN kev_date_added TIMESTAMP;
ALTER TABLE raw.vulnerabilities ADD COLUMN kev_ransomware BOOLEAN;

-- One row per feed: which version was applied when, for freshness ("EPSS of 2025-02-20").
CREATE TABLE raw.intel_feeds (
    feed               VARCHAR PRIMARY KEY,   -- 'kev' or 'epss'
    version            VARCHAR,               -- KEV catalogVersion, EPSS score_date
    origin             VARCHAR NOT NULL,      -- the path or URL it came from
    entries            BIGINT NOT NULL,
    applied_at         TIMESTAMP NOT NULL
);
