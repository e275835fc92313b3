"""Scanner report importers: Trivy, Grype, Prowler OCSF and AWS Security Hub ASFF files.

One module per format maps the parsed document into the findings model (vendor
vocabulary stops there); ``load`` checks the format and writes one transaction.
"""

from connectors.importers.asff import map_asff
from connectors.importers.common import Mapped, parse_image_ref
from connectors.importers.detect import FORMATS, detect_format
from connectors.importers.grype import map_grype
from connectors.importers.load import ImportReport, import_report, map_report, read_report
from connectors.importers.prowler import map_prowler_ocsf
from connectors.importers.trivy import map_trivy_image
from connectors.importers.trivy_k8s import map_trivy_k8s

__all__ = [
    "FORMATS",
    "ImportReport",
    "Mapped",
    "detect_format",
    "import_report",
    "map_asff",
    "map_grype",
    "map_prowler_ocsf",
    "map_report",
    "map_trivy_image",
    "map_trivy_k8s",
    "parse_image_ref",
    "read_report",
]
