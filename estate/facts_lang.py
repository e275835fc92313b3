"""Language package lines (maven, npm, pypi, go, nuget) with their real fixed versions.

Each line's ``component`` is the stack that pulls it in (java, node, python, go,
dotnet, tooling); ``presence`` is how often an app of that stack depends on it.
"""

from __future__ import annotations

from estate.facts import PackageLine, line

__all__ = ["LANG_LINES", "STACK_PACKAGE_TYPE"]

STACK_PACKAGE_TYPE: dict[str, str] = {
    "java": "maven",
    "node": "npm",
    "python": "pypi",
    "go": "go",
    "dotnet": "nuget",
    "tooling": "go",
}

# fmt: off
_MAVEN = (
    line("maven", "maven", ("log4j-core",), ("2.11.1", "2.14.1", "2.15.0", "2.16.0", "2.17.0",
         "2.17.1", "2.20.0", "2.23.1"), {"CVE-2021-44228": "2.15.0", "CVE-2021-45046": "2.16.0",
         "CVE-2021-44832": "2.17.1"}, "java", 0.35),
    line("maven", "maven", ("log4j",), ("1.2.17",), {"CVE-2019-17571": None, "CVE-2022-23305": None,
         "CVE-2022-23307": None}, "java", 0.08),
    line("maven", "maven", ("spring-beans",), ("5.3.10", "5.3.17", "5.3.18", "5.3.31", "6.1.5"),
         {"CVE-2022-22965": "5.3.18"}, "java", 0.6),
    line("maven", "maven", ("spring-web",), ("5.3.18", "5.3.27", "5.3.31", "5.3.32", "5.3.39"),
         {"CVE-2024-22243": "5.3.32", "CVE-2016-1000027": "6.0.0"}, "java", 0.6),
    line("maven", "maven", ("spring-cloud-function-context",), ("3.1.6", "3.2.2", "3.2.3", "4.1.1"),
         {"CVE-2022-22963": "3.2.3"}, "java", 0.1),
    line("maven", "maven", ("spring-boot-actuator",), ("2.7.8", "2.7.10", "2.7.11", "3.2.4"),
         {"CVE-2023-20873": "2.7.11"}, "java", 0.4),
    line("maven", "maven", ("activemq-client",), ("5.16.5", "5.17.5", "5.18.2", "5.18.3", "5.18.4"),
         {"CVE-2023-46604": "5.18.3"}, "java", 0.1),
    line("maven", "maven", ("struts2-core",), ("2.3.31", "2.3.32", "2.5.30", "6.3.0.1", "6.3.0.2"),
         {"CVE-2017-5638": "2.3.32", "CVE-2023-50164": "6.3.0.2"}, "java", 0.06),
    line("maven", "maven", ("tomcat-embed-core",), ("9.0.30", "9.0.31", "9.0.83"),
         {"CVE-2020-1938": "9.0.31"}, "java", 0.5),
    line("maven", "maven", ("commons-text",), ("1.8", "1.9", "1.10.0"),
         {"CVE-2022-42889": "1.10.0"}, "java", 0.25),
    line("maven", "maven", ("snakeyaml",), ("1.26", "1.30", "1.33", "2.0", "2.2"),
         {"CVE-2022-1471": "2.0"}, "java", 0.5),
    line("maven", "maven", ("jackson-databind",), ("2.12.3", "2.13.1", "2.13.2.1", "2.13.3",
         "2.13.4.2", "2.15.2"), {"CVE-2020-36518": "2.13.2.1", "CVE-2022-42003": "2.13.4.2"},
         "java", 0.8),
    line("maven", "maven", ("netty-codec-http2",), ("4.1.86.Final", "4.1.97.Final", "4.1.100.Final",
         "4.1.108.Final"), {"CVE-2023-44487": "4.1.100.Final"}, "java", 0.3),
    line("maven", "maven", ("h2",), ("1.4.200", "2.0.202", "2.0.206", "2.1.210", "2.2.224"),
         {"CVE-2021-42392": "2.0.206", "CVE-2022-23221": "2.1.210"}, "java", 0.15),
    line("maven", "maven", ("logback-classic",), ("1.2.3", "1.2.11", "1.2.13", "1.4.14"),
         {"CVE-2023-6378": "1.2.13"}, "java", 0.6),
    line("maven", "maven", ("gson",), ("2.8.6", "2.8.9", "2.10.1"), {"CVE-2022-25647": "2.8.9"},
         "java", 0.4),
    line("maven", "maven", ("postgresql",), ("42.2.18", "42.5.0", "42.6.0", "42.7.2", "42.7.3"),
         {"CVE-2024-1597": "42.7.2"}, "java", 0.4),
)

_NPM = (
    line("npm", "npm", ("minimist",), ("1.2.5", "1.2.6", "1.2.8"), {"CVE-2021-44906": "1.2.6"},
         "node", 0.5),
    line("npm", "npm", ("qs",), ("6.5.2", "6.5.3", "6.11.0"), {"CVE-2022-24999": "6.5.3"}, "node",
         0.5),
    line("npm", "npm", ("tough-cookie",), ("2.5.0", "4.1.2", "4.1.3"), {"CVE-2023-26136": "4.1.3"},
         "node", 0.3),
    line("npm", "npm", ("semver",), ("5.7.1", "6.3.0", "7.3.8", "7.5.2", "7.6.0"),
         {"CVE-2022-25883": "7.5.2"}, "node", 0.8),
    line("npm", "npm", ("express",), ("4.17.1", "4.18.2", "4.19.2", "4.21.0"),
         {"CVE-2024-29041": "4.19.2"}, "node", 0.6),
    line("npm", "npm", ("@babel/traverse",), ("7.20.12", "7.22.5", "7.23.2"),
         {"CVE-2023-45133": "7.23.2"}, "node", 0.3),
    line("npm", "npm", ("lodash",), ("4.17.15", "4.17.19", "4.17.20", "4.17.21"),
         {"CVE-2020-8203": "4.17.19", "CVE-2021-23337": "4.17.21"}, "node", 0.6),
    line("npm", "npm", ("json5",), ("1.0.1", "2.2.1", "2.2.2", "2.2.3"),
         {"CVE-2022-46175": "2.2.2"}, "node", 0.4),
    line("npm", "npm", ("braces",), ("2.3.2", "3.0.2", "3.0.3"), {"CVE-2024-4068": "3.0.3"}, "node",
         0.5),
    line("npm", "npm", ("ejs",), ("3.1.6", "3.1.7", "3.1.10"), {"CVE-2022-29078": "3.1.7"}, "node",
         0.15),
    line("npm", "npm", ("request",), ("2.88.0", "2.88.2"), {"CVE-2023-28155": None}, "node", 0.25),
    line("npm", "npm", ("ws",), ("7.4.6", "8.13.0", "8.17.0", "8.17.1"),
         {"CVE-2024-37890": "8.17.1"}, "node", 0.4),
    line("npm", "npm", ("cross-spawn",), ("6.0.5", "7.0.3", "7.0.5"), {"CVE-2024-21538": "7.0.5"},
         "node", 0.5),
    line("npm", "npm", ("axios",), ("0.21.4", "1.6.0", "1.7.2", "1.7.4"),
         {"CVE-2024-39338": "1.7.4"}, "node", 0.6),
    line("npm", "npm", ("dicer",), ("0.3.0",), {"CVE-2022-24434": None}, "node", 0.1),
    line("npm", "npm", ("protobufjs",), ("6.11.3", "7.2.3", "7.2.4"), {"CVE-2023-36665": "7.2.4"},
         "node", 0.2),
    line("npm", "npm", ("json-schema",), ("0.2.3", "0.4.0"), {"CVE-2021-3918": "0.4.0"}, "node",
         0.2),
)

_PYPI = (
    line("pypi", "pypi", ("requests",), ("2.25.1", "2.28.1", "2.30.0", "2.31.0", "2.32.0",
         "2.32.3"), {"CVE-2023-32681": "2.31.0", "CVE-2024-35195": "2.32.0"}, "python", 0.8),
    line("pypi", "pypi", ("flask",), ("2.0.3", "2.2.4", "2.2.5", "3.0.3"),
         {"CVE-2023-30861": "2.2.5"}, "python", 0.35),
    line("pypi", "pypi", ("werkzeug",), ("2.0.3", "2.2.2", "2.2.3", "3.0.1", "3.0.3"),
         {"CVE-2023-25577": "2.2.3", "CVE-2024-34069": "3.0.3"}, "python", 0.35),
    line("pypi", "pypi", ("py",), ("1.10.0", "1.11.0"), {"CVE-2022-42969": None}, "python", 0.2),
    line("pypi", "pypi", ("pillow",), ("9.5.0", "10.0.0", "10.0.1", "10.2.0", "10.4.0"),
         {"CVE-2023-4863": "10.0.1", "CVE-2023-50447": "10.2.0"}, "python", 0.2),
    line("pypi", "pypi", ("idna",), ("2.10", "3.4", "3.6", "3.7"), {"CVE-2024-3651": "3.7"},
         "python", 0.7),
    line("pypi", "pypi", ("certifi",), ("2022.12.7", "2023.5.7", "2023.7.22", "2024.8.30"),
         {"CVE-2023-37920": "2023.7.22"}, "python", 0.7),
    line("pypi", "pypi", ("setuptools",), ("58.1.0", "65.5.0", "65.5.1", "68.0.0", "70.0.0"),
         {"CVE-2022-40897": "65.5.1", "CVE-2024-6345": "70.0.0"}, "python", 0.6),
    line("pypi", "pypi", ("urllib3",), ("1.26.5", "1.26.16", "1.26.17", "1.26.19", "2.2.2"),
         {"CVE-2023-43804": "1.26.17"}, "python", 0.7),
    line("pypi", "pypi", ("gunicorn",), ("20.1.0", "21.2.0", "22.0.0"), {"CVE-2024-1135": "22.0.0"},
         "python", 0.3),
    line("pypi", "pypi", ("cryptography",), ("38.0.4", "39.0.0", "41.0.7", "42.0.4", "43.0.1"),
         {"CVE-2024-26130": "42.0.4"}, "python", 0.5),
    line("pypi", "pypi", ("wheel",), ("0.37.1", "0.38.1", "0.43.0"), {"CVE-2022-40898": "0.38.1"},
         "python", 0.4),
    line("pypi", "pypi", ("pyyaml",), ("5.3.1", "5.4", "6.0.1"), {"CVE-2020-14343": "5.4"},
         "python", 0.4),
    line("pypi", "pypi", ("django",), ("3.2.18", "4.1.7", "4.2.3", "4.2.16"),
         {"CVE-2023-36053": "4.2.3"}, "python", 0.15),
    line("pypi", "pypi", ("jinja2",), ("2.11.3", "3.1.2", "3.1.3", "3.1.4"),
         {"CVE-2024-22195": "3.1.3"}, "python", 0.4),
)

_GO = (
    line("go", "go", ("golang.org/x/net",), ("v0.5.0", "v0.7.0", "v0.15.0", "v0.17.0", "v0.23.0",
         "v0.25.0"), {"CVE-2022-41723": "v0.7.0", "CVE-2023-44487": "v0.17.0",
         "CVE-2023-39325": "v0.17.0", "CVE-2023-45288": "v0.23.0"}, "go", 0.8),
    line("go", "go", ("stdlib",), ("v1.20.2", "v1.20.3", "v1.21.10", "v1.21.11", "v1.22.5"),
         {"CVE-2023-24538": "v1.20.3", "CVE-2024-24790": "v1.21.11"}, "go"),
    line("go", "go", ("github.com/prometheus/client_golang",), ("v1.11.0", "v1.11.1", "v1.19.1"),
         {"CVE-2022-21698": "v1.11.1"}, "go", 0.6),
    line("go", "go", ("golang.org/x/crypto",), ("v0.17.0", "v0.30.0", "v0.31.0"),
         {"CVE-2024-45337": "v0.31.0"}, "go", 0.5),
    line("go", "go", ("github.com/dgrijalva/jwt-go",), ("v3.2.0+incompatible",),
         {"CVE-2020-26160": None}, "go", 0.15),
    line("go", "go", ("golang.org/x/text",), ("v0.3.7", "v0.3.8", "v0.14.0"),
         {"CVE-2022-32149": "v0.3.8"}, "go", 0.6),
    line("go", "go", ("google.golang.org/protobuf",), ("v1.28.1", "v1.31.0", "v1.33.0"),
         {"CVE-2024-24786": "v1.33.0"}, "go", 0.5),
    line("go", "go", ("github.com/opencontainers/runc",), ("v1.1.5", "v1.1.12"),
         {"CVE-2024-21626": "v1.1.12"}, "tooling", 0.9),
    line("go", "go", ("golang.org/x/net",), ("v0.15.0", "v0.17.0", "v0.25.0"),
         {"CVE-2023-44487": "v0.17.0", "CVE-2023-39325": "v0.17.0"}, "tooling", 0.7),
)

_NUGET = (
    line("nuget", "nuget", ("Newtonsoft.Json",), ("12.0.3", "13.0.1", "13.0.3"),
         {"CVE-2024-21907": "13.0.1"}, "dotnet", 0.7),
    line("nuget", "nuget", ("System.Text.Json",), ("8.0.0", "8.0.3", "8.0.4"),
         {"CVE-2024-30105": "8.0.4"}, "dotnet", 0.5),
    line("nuget", "nuget", ("System.Security.Cryptography.Pkcs",), ("6.0.1", "7.0.0", "7.0.2"),
         {"CVE-2023-29331": "7.0.2"}, "dotnet", 0.3),
)
# fmt: on

LANG_LINES: dict[str, tuple[PackageLine, ...]] = {
    stack: tuple(ln for ln in (*_MAVEN, *_NPM, *_PYPI, *_GO, *_NUGET) if ln.component == stack)
    for stack in STACK_PACKAGE_TYPE
}
