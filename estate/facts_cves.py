"""Real CVEs as data: CVSS v3.1 base score and vector (NVD), CISA KEV membership, exploit.

Scores, vectors and KEV membership are the public record; EPSS values are plausible
probabilities of the right order (the real feed moves daily), not a snapshot. Keeping
the facts real means a demo answer about Log4Shell or regreSSHion reads true to anyone
who knows those bugs.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CVES", "Cve"]


@dataclass(frozen=True, slots=True)
class Cve:
    """What the record says about one CVE, whatever package carries it."""

    cve_id: str
    cvss: float
    vector: str
    epss: float
    kev: bool
    exploit: bool
    summary: str


# Base vectors, shortened; every one is checked against its score in tests/estate.
_N_FULL = "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"  # 9.8
_N_SCOPE = "AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"  # 10.0
_N_HARD = "AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H"  # 8.1
_N_USER = "AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H"  # 8.8
_N_DOS = "AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"  # 7.5
_N_LEAK = "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"  # 7.5
_L_FULL = "AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"  # 7.8
_XSS = "AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"  # 6.1

# fmt: off
_ROWS: tuple[tuple[str, float, str, float, bool, bool, str], ...] = (
    # id, cvss, vector, epss, in KEV, exploit available, summary
    ("CVE-2021-44228", 10.0, _N_SCOPE, 0.944, True, True, "Log4Shell: JNDI lookup RCE"),
    ("CVE-2021-45046", 9.0, "AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H", 0.917, True, True,
     "Log4j Thread Context lookup RCE (incomplete Log4Shell fix)"),
    ("CVE-2021-44832", 6.6, "AV:N/AC:H/PR:H/UI:N/S:U/C:H/I:H/A:H", 0.021, False, False,
     "Log4j JDBCAppender JNDI RCE by an attacker who controls the configuration"),
    ("CVE-2019-17571", 9.8, _N_FULL, 0.612, False, True, "Log4j 1.2 SocketServer deserialisation"),
    ("CVE-2022-23305", 9.8, _N_FULL, 0.047, False, False, "Log4j 1.2 JDBCAppender SQL injection"),
    ("CVE-2022-23307", 8.8, "AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 0.031, False, False,
     "Log4j 1.2 Chainsaw deserialisation"),
    ("CVE-2022-22965", 9.8, _N_FULL, 0.974, True, True, "Spring4Shell: data binding RCE on JDK 9+"),
    ("CVE-2022-22963", 9.8, _N_FULL, 0.975, True, True, "Spring Cloud Function routing SpEL RCE"),
    ("CVE-2023-46604", 9.8, _N_FULL, 0.972, True, True, "ActiveMQ OpenWire deserialisation RCE"),
    ("CVE-2017-5638", 10.0, _N_SCOPE, 0.975, True, True, "Struts 2 Jakarta multipart RCE"),
    ("CVE-2023-50164", 9.8, _N_FULL, 0.634, False, True, "Struts 2 file upload path traversal"),
    ("CVE-2020-1938", 9.8, _N_FULL, 0.974, True, True, "Ghostcat: Tomcat AJP file read/inclusion"),
    ("CVE-2022-42889", 9.8, _N_FULL, 0.968, False, True, "Text4Shell: StringSubstitutor RCE"),
    ("CVE-2022-1471", 9.8, _N_FULL, 0.081, False, True, "SnakeYAML Constructor deserialisation"),
    ("CVE-2020-36518", 7.5, _N_DOS, 0.004, False, False, "jackson-databind deep nesting DoS"),
    ("CVE-2022-42003", 7.5, _N_DOS, 0.003, False, False, "jackson-databind array unwrapping DoS"),
    ("CVE-2021-42392", 9.8, _N_FULL, 0.181, False, True, "H2 console JNDI RCE"),
    ("CVE-2022-23221", 9.8, _N_FULL, 0.936, False, True, "H2 console JDBC URL RCE"),
    ("CVE-2023-6378", 7.5, _N_DOS, 0.006, False, False, "logback receiver deserialisation DoS"),
    ("CVE-2022-25647", 7.5, _N_DOS, 0.005, False, False, "Gson writeReplace deserialisation DoS"),
    ("CVE-2024-22243", 8.1, "AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N", 0.012, False, False,
     "Spring UriComponentsBuilder open redirect / SSRF"),
    ("CVE-2016-1000027", 9.8, _N_FULL, 0.034, False, False,
     "Spring HttpInvokerServiceExporter deserialisation"),
    ("CVE-2023-20873", 9.8, _N_FULL, 0.011, False, False,
     "Spring Boot actuator security bypass on Cloud Foundry"),
    ("CVE-2024-1597", 9.8, _N_FULL, 0.027, False, False,
     "pgjdbc SQL injection with PreferQueryMode=SIMPLE"),
    ("CVE-2023-44487", 7.5, _N_DOS, 0.819, True, True, "HTTP/2 Rapid Reset denial of service"),
    # npm
    ("CVE-2021-44906", 9.8, _N_FULL, 0.011, False, True, "minimist prototype pollution"),
    ("CVE-2022-24999", 7.5, _N_DOS, 0.007, False, False, "qs prototype pollution in Express"),
    ("CVE-2023-26136", 9.8, _N_FULL, 0.009, False, False, "tough-cookie prototype pollution"),
    ("CVE-2022-25883", 7.5, _N_DOS, 0.005, False, False, "semver ReDoS in new Range"),
    ("CVE-2024-29041", 6.1, _XSS, 0.004, False, False, "Express open redirect with malformed URLs"),
    ("CVE-2023-45133", 8.8, _N_USER, 0.009, False, False,
     "Babel arbitrary code execution compiling crafted code"),
    ("CVE-2021-23337", 7.2, "AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 0.013, False, False,
     "lodash command injection via template"),
    ("CVE-2020-8203", 7.4, "AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H", 0.021, False, False,
     "lodash zipObjectDeep prototype pollution"),
    ("CVE-2022-46175", 8.8, _N_USER, 0.006, False, False, "JSON5 parse prototype pollution"),
    ("CVE-2024-4068", 7.5, _N_DOS, 0.004, False, False, "braces unbounded memory allocation"),
    ("CVE-2022-29078", 9.8, _N_FULL, 0.271, False, True, "EJS settings[view options] RCE"),
    ("CVE-2023-28155", 6.1, _XSS, 0.003, False, False, "request cross-protocol redirect SSRF"),
    ("CVE-2024-37890", 7.5, _N_DOS, 0.008, False, False, "ws crash on many HTTP headers"),
    ("CVE-2024-21538", 7.5, _N_DOS, 0.004, False, False, "cross-spawn ReDoS"),
    ("CVE-2024-39338", 7.5, _N_LEAK, 0.011, False, False, "axios SSRF via path-relative URLs"),
    ("CVE-2022-24434", 7.5, _N_DOS, 0.006, False, False, "dicer crash on malformed multipart"),
    ("CVE-2023-36665", 9.8, _N_FULL, 0.012, False, False, "protobufjs prototype pollution"),
    ("CVE-2021-3918", 9.8, _N_FULL, 0.009, False, False, "json-schema prototype pollution"),
    # PyPI
    ("CVE-2023-32681", 6.1, "AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N", 0.015, False, False,
     "Requests leaks Proxy-Authorization to redirect targets"),
    ("CVE-2024-35195", 5.6, "AV:L/AC:H/PR:H/UI:R/S:U/C:H/I:H/A:N", 0.002, False, False,
     "Requests Session keeps verify=False for later requests"),
    ("CVE-2023-30861", 7.5, _N_LEAK, 0.004, False, False, "Flask session cookie cached by proxies"),
    ("CVE-2023-25577", 7.5, _N_DOS, 0.006, False, False, "Werkzeug multipart parsing DoS"),
    ("CVE-2024-34069", 7.5, "AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:H", 0.003, False, False,
     "Werkzeug debugger RCE from an attacker-controlled domain"),
    ("CVE-2022-42969", 7.5, _N_DOS, 0.006, False, False, "py ReDoS in SVN repository info"),
    ("CVE-2023-50447", 8.1, _N_HARD, 0.007, False, False, "Pillow ImageMath.eval code injection"),
    ("CVE-2024-3651", 6.2, "AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 0.002, False, False,
     "idna encode() quadratic complexity DoS"),
    ("CVE-2023-37920", 9.8, _N_FULL, 0.004, False, False, "certifi still trusts e-Tugra roots"),
    ("CVE-2024-6345", 8.8, _N_USER, 0.009, False, False,
     "setuptools package_index command injection"),
    ("CVE-2022-40897", 5.9, "AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H", 0.003, False, False,
     "setuptools package_index ReDoS"),
    ("CVE-2023-43804", 8.1, _N_HARD, 0.005, False, False,
     "urllib3 Cookie header kept on cross-origin redirects"),
    ("CVE-2024-1135", 7.5, "AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", 0.012, False, False,
     "Gunicorn request smuggling via Transfer-Encoding"),
    ("CVE-2024-26130", 7.5, _N_DOS, 0.004, False, False, "cryptography NULL dereference in PKCS12"),
    ("CVE-2022-40898", 7.5, _N_DOS, 0.003, False, False, "wheel ReDoS in the CLI"),
    ("CVE-2020-14343", 9.8, _N_FULL, 0.018, False, True,
     "PyYAML full_load arbitrary code execution"),
    ("CVE-2023-36053", 7.5, _N_DOS, 0.006, False, False,
     "Django EmailValidator/URLValidator ReDoS"),
    ("CVE-2024-22195", 5.4, "AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", 0.002, False, False,
     "Jinja2 xmlattr filter XSS"),
    # Go
    ("CVE-2023-39325", 7.5, _N_DOS, 0.074, False, False, "net/http2 rapid stream resets"),
    ("CVE-2022-41723", 7.5, _N_DOS, 0.006, False, False, "HPACK decoder quadratic DoS"),
    ("CVE-2023-45288", 7.5, _N_DOS, 0.042, False, False, "HTTP/2 CONTINUATION flood"),
    ("CVE-2024-24790", 9.8, _N_FULL, 0.004, False, False,
     "net/netip misclassifies IPv4-mapped IPv6"),
    ("CVE-2023-24538", 9.8, _N_FULL, 0.007, False, False, "html/template backtick JS injection"),
    ("CVE-2022-21698", 7.5, _N_DOS, 0.005, False, False, "client_golang unbounded method label"),
    ("CVE-2024-45337", 9.1, "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N", 0.009, False, False,
     "x/crypto/ssh PublicKeyCallback authorisation bypass"),
    ("CVE-2020-26160", 7.5, _N_LEAK, 0.005, False, False, "jwt-go audience check bypass"),
    ("CVE-2022-32149", 7.5, _N_DOS, 0.004, False, False, "x/text ParseAcceptLanguage DoS"),
    ("CVE-2024-21626", 8.6, "AV:L/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", 0.044, False, True,
     "runc leaked file descriptor container escape"),
    ("CVE-2024-24786", 7.5, _N_DOS, 0.003, False, False, "protojson.Unmarshal infinite loop"),
    # OS packages (deb / apk)
    ("CVE-2023-4863", 8.8, _N_USER, 0.734, True, True,
     "libwebp heap overflow in BuildHuffmanTable"),
    ("CVE-2022-0778", 7.5, _N_DOS, 0.089, False, True, "OpenSSL BN_mod_sqrt() infinite loop"),
    ("CVE-2023-0286", 7.4, "AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:H", 0.021, False, False,
     "OpenSSL X.400 address type confusion"),
    ("CVE-2022-4450", 7.5, _N_DOS, 0.011, False, False, "OpenSSL double free in PEM_read_bio_ex"),
    ("CVE-2023-0464", 7.5, _N_DOS, 0.006, False, False, "OpenSSL X.509 policy constraints DoS"),
    ("CVE-2023-2650", 6.5, "AV:N/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H", 0.004, False, False,
     "OpenSSL slow OBJ_obj2txt on huge OIDs"),
    ("CVE-2023-3817", 5.3, "AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", 0.003, False, False,
     "OpenSSL excessive time checking DH q"),
    ("CVE-2023-5363", 7.5, _N_LEAK, 0.003, False, False, "OpenSSL cipher key/IV length mix-up"),
    ("CVE-2024-0727", 5.5, "AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H", 0.002, False, False,
     "OpenSSL NULL dereference on malformed PKCS12"),
    ("CVE-2024-5535", 9.1, "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H", 0.004, False, False,
     "OpenSSL SSL_select_next_proto buffer overread"),
    ("CVE-2024-6119", 7.5, _N_DOS, 0.002, False, False, "OpenSSL X.509 name check DoS"),
    ("CVE-2023-38545", 9.8, _N_FULL, 0.241, False, True, "curl SOCKS5 heap buffer overflow"),
    ("CVE-2023-46218", 6.5, "AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N", 0.003, False, False,
     "curl cookie mixed-case PSL bypass"),
    ("CVE-2022-32221", 9.8, _N_FULL, 0.012, False, False, "curl POST following PUT confusion"),
    ("CVE-2022-37434", 9.8, _N_FULL, 0.052, False, True, "zlib inflateGetHeader heap over-read"),
    ("CVE-2023-45853", 9.8, _N_FULL, 0.019, False, False, "zlib MiniZip integer overflow"),
    ("CVE-2023-4911", 7.8, _L_FULL, 0.627, True, True, "Looney Tunables: ld.so GLIBC_TUNABLES"),
    ("CVE-2024-2961", 7.3, "AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L", 0.512, False, True,
     "glibc iconv ISO-2022-CN-EXT out-of-bounds write"),
    ("CVE-2018-20796", 7.5, _N_DOS, 0.003, False, False, "glibc regexec uncontrolled recursion"),
    ("CVE-2024-45490", 9.8, _N_FULL, 0.002, False, False,
     "Expat negative length in XML_ParseBuffer"),
    ("CVE-2024-45491", 9.8, _N_FULL, 0.002, False, False, "Expat integer overflow in dtdCopy"),
    ("CVE-2024-45492", 9.8, _N_FULL, 0.002, False, False,
     "Expat integer overflow in nextScaffoldPart"),
    ("CVE-2022-40674", 8.1, _N_HARD, 0.005, False, False, "Expat use-after-free in doContent"),
    ("CVE-2023-52425", 7.5, _N_DOS, 0.004, False, False, "Expat DoS reparsing large tokens"),
    ("CVE-2023-29491", 7.8, _L_FULL, 0.001, False, False, "ncurses memory corruption via terminfo"),
    ("CVE-2022-0563", 5.5, "AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 0.001, False, False,
     "util-linux chfn/chsh INPUTRC file leak"),
    ("CVE-2016-2781", 6.5, "AV:L/AC:L/PR:L/UI:N/S:C/C:N/I:H/A:N", 0.001, False, False,
     "coreutils chroot --userspec TIOCSTI escape"),
    ("CVE-2017-18018", 4.7, "AV:L/AC:H/PR:L/UI:N/S:U/C:N/I:H/A:N", 0.001, False, False,
     "coreutils chown -R -L race"),
    ("CVE-2011-3374", 3.7, "AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:L/A:N", 0.011, False, False,
     "apt-key does not validate keyrings"),
    ("CVE-2023-31437", 5.3, "AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N", 0.001, False, False,
     "systemd journal sealing bypass (disputed)"),
    ("CVE-2013-4392", 3.3, "AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N", 0.001, False, False,
     "systemd tmpfiles symlink attack"),
    ("CVE-2023-31484", 8.1, _N_HARD, 0.003, False, False,
     "CPAN.pm does not verify TLS certificates"),
    ("CVE-2022-27943", 5.5, "AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H", 0.001, False, False,
     "libiberty demangler stack exhaustion"),
    ("CVE-2022-3219", 3.3, "AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:L", 0.001, False, False,
     "GnuPG DoS via compressed packets"),
    ("CVE-2021-3156", 7.8, _L_FULL, 0.412, True, True, "Baron Samedit: sudo heap overflow"),
    ("CVE-2024-6387", 8.1, _N_HARD, 0.456, False, True, "regreSSHion: sshd signal handler race"),
    ("CVE-2024-3094", 10.0, _N_SCOPE, 0.853, False, True, "xz/liblzma backdoor in 5.6.0-5.6.1"),
    ("CVE-2021-23017", 7.7, "AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:L/A:H", 0.311, False, True,
     "nginx resolver off-by-one write"),
    ("CVE-2011-4116", 7.5, "AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", 0.002, False, False,
     "Perl File::Temp symlink following"),
    ("CVE-2017-11164", 7.5, _N_DOS, 0.006, False, False, "PCRE stack exhaustion in match()"),
    ("CVE-2018-6829", 7.5, _N_LEAK, 0.005, False, False, "libgcrypt ElGamal semantic security"),
    ("CVE-2024-2236", 5.9, "AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 0.002, False, False,
     "libgcrypt RSA timing side channel (Marvin)"),
    ("CVE-2018-5709", 7.5, "AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", 0.004, False, False,
     "krb5 integer truncation in KDC database"),
    ("CVE-2024-26462", 5.5, "AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H", 0.001, False, False,
     "krb5 KDC memory leak"),
    ("CVE-2022-4899", 7.5, _N_DOS, 0.003, False, False, "zstd empty output dir crash"),
    ("CVE-2023-29383", 3.3, "AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:L/A:N", 0.001, False, False,
     "shadow chfn control character injection"),
    ("CVE-2023-4641", 4.7, "AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:N/A:N", 0.001, False, False,
     "shadow gpasswd password left in memory"),
    ("CVE-2019-9192", 7.5, _N_DOS, 0.004, False, False, "glibc regexec recursion (disputed)"),
    ("CVE-2023-50495", 6.5, "AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H", 0.001, False, False,
     "ncurses segfault in tic"),
    ("CVE-2023-52426", 5.5, "AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H", 0.001, False, False,
     "Expat recursive entity expansion without XML_DTD"),
    ("CVE-2023-7008", 5.9, "AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:N", 0.002, False, False,
     "systemd-resolved accepts unsigned DNSSEC records"),
    # NuGet
    ("CVE-2024-21907", 7.5, _N_DOS, 0.004, False, False, "Newtonsoft.Json deep nesting DoS"),
    ("CVE-2024-30105", 7.5, _N_DOS, 0.003, False, False, "System.Text.Json DoS"),
    ("CVE-2023-29331", 7.5, _N_DOS, 0.003, False, False, "System.Security.Cryptography.Pkcs DoS"),
)
# fmt: on

CVES: dict[str, Cve] = {
    row[0]: Cve(row[0], row[1], "CVSS:3.1/" + row[2], row[3], row[4], row[5], row[6])
    for row in _ROWS
}
