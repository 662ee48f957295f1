"""Shared keys for the exchange, key and enrolment tests (made once per test run: RSA-3072 is slow)."""

from __future__ import annotations

import atexit
import contextlib
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from pdf_support import pdf_text

from common.cli import CommandLine
from common.exchange import cms, container
from common.exchange.addresses import NCT_ADDRESS, Address, workstation
from common.exchange.cli_commands import add_exchange_commands
from common.exchange.manifest import canonical_json, payload_digest, sha256_hex
from common.security.keys import Identity, TrustStore, generate_key, issue_certificate, make_root
from common.workstation import by_code


@dataclass(frozen=True)
class Pki:
    root_key: rsa.RSAPrivateKey
    root: x509.Certificate
    nct: Identity
    applications: Identity
    programmer: Identity
    other_site: Identity

    def trust(self) -> TrustStore:
        store = TrustStore(self.root)
        for identity in (self.nct, self.applications, self.programmer, self.other_site):
            store.add(identity.certificate)
        return store

    def issue(self, address: Address, **kwargs: Any) -> Identity:
        key = generate_key()
        certificate = issue_certificate(self.root_key, self.root, key.public_key(), address, **kwargs)
        return Identity.of(certificate, key)


@cache
def pki() -> Pki:
    root_key, root = make_root()

    def identity(address: Address) -> Identity:
        key = generate_key()
        return Identity.of(issue_certificate(root_key, root, key.public_key(), address), key)

    return Pki(
        root_key,
        root,
        nct=identity(NCT_ADDRESS),
        applications=identity(workstation("017", "applications")),
        programmer=identity(workstation("017", "programmer")),
        other_site=identity(workstation("018", "applications")),
    )


@cache
def foreign_pki() -> Pki:
    """Keys under a root that is not НЦТ's: an impostor's."""
    return pki_with_root(*make_root())


def pki_with_root(root_key: rsa.RSAPrivateKey, root: x509.Certificate) -> Pki:
    def identity(address: Address) -> Identity:
        key = generate_key()
        return Identity.of(issue_certificate(root_key, root, key.public_key(), address), key)

    return Pki(
        root_key,
        root,
        identity(NCT_ADDRESS),
        identity(workstation("017", "applications")),
        identity(workstation("017", "programmer")),
        identity(workstation("018", "applications")),
    )


def craft(
    manifest: dict[str, Any],
    payload: Any,
    sender: Identity,
    recipient: x509.Certificate,
    attachments: dict[str, bytes] | None = None,
    fix_digests: bool = True,
) -> bytes:
    """A package built by hand, bypassing ``seal_package``'s checks (to test what a reader refuses)."""
    payload_json = canonical_json(payload)
    files = container.payload_files(payload_json, attachments or {})
    if fix_digests:
        digests = {name: sha256_hex(data) for name, data in files.items()}
        manifest = {**manifest, "files": digests, "payload_digest": payload_digest(digests)}
    content = container.build(canonical_json(manifest), files)
    return cms.encrypt(cms.sign(content, sender), recipient)


def manifest_dict(sender: Address, recipient: Address, **overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "format": 1,
        "kind": "test-message",
        "sender": str(sender),
        "recipient": str(recipient),
        "site_code": sender.site_code or recipient.site_code,
        "stream": None,
        "sequence": 1,
        "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "files": {},
        "payload_digest": "",
        "audit_head": None,
        "program": "test",
    }
    return {**base, **overrides}


def a_day_ago() -> datetime:
    return datetime.now(UTC) - timedelta(days=1)


# --- a whole scene through the programs' command lines ----------------------------------------

NCT_PASSWORD = "test-nct-password-1"
CODE_LINE = re.compile(r"(?<![0-9A-Z-])[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z](?![0-9A-Z-])")


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


SECRET_VARIABLES = ("ENT_PASSWORD", "ENT_CODE", "ENT_CHAIR_PASSWORD", "ENT_DKNB_PASSWORD", "ENT_MINISTRY_PASSWORD")


@contextlib.contextmanager
def secrets(**values: str) -> Iterator[None]:
    """Secrets in the environment, as an operator's script passes them (never on the command line)."""
    saved = {name: os.environ.pop(name, None) for name in SECRET_VARIABLES}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value


def run_cli(cli: CommandLine, args: list[str], **secret_values: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), secrets(**secret_values):
        code = cli.run(args if "--lang" in args else [*args, "--lang", "en"])
    return Run(code, out.getvalue(), err.getvalue())


def workstation_cli(role: str) -> CommandLine:
    cli = CommandLine(by_code(role))
    add_exchange_commands(cli)
    return cli


@dataclass
class Scene:
    """НЦТ with site 017 (and 018), and enrolled workstations of site 017, each in its own folder."""

    root: Path
    passwords: dict[str, str] = field(default_factory=dict)

    @property
    def nct_dir(self) -> Path:
        return self.root / "nct"

    @property
    def out(self) -> Path:
        return self.root / "out"

    def folder(self, role: str) -> Path:
        return self.root / role

    def nct(self, *args: str) -> Run:
        from nct_hub.cli import build

        return run_cli(build(), [*args, "--data-dir", str(self.nct_dir)], ENT_PASSWORD=NCT_PASSWORD)

    def ws(self, role: str, *args: str, password: bool = True, **secret_values: str) -> Run:
        if password:
            secret_values["ENT_PASSWORD"] = self.passwords[role]
        return run_cli(workstation_cli(role), [*args, "--data-dir", str(self.folder(role))], **secret_values)

    def enrol(self, role: str, site: str = "017") -> Path:
        package = self.out / f"enrol-{site}-{role}.entpkg"
        made = self.nct("enrolment", "make", "--site", site, "--role", role, "--out", str(package))
        assert made.code == 0, made.err
        found = CODE_LINE.findall(pdf_text(package.with_suffix(".pdf")))
        assert len(found) == 1
        self.passwords[role] = found[0]
        if not self.folder(role).exists():
            assert self.ws(role, "init", password=False).code == 0
        enrolled = self.ws(role, "enrol", "--package", str(package))
        assert enrolled.code == 0, enrolled.err
        return package

    def copy(self, destination: Path) -> Scene:
        shutil.copytree(self.root, destination)
        return Scene(destination, dict(self.passwords))


def make_scene(root: Path, roles: tuple[str, ...] = ("applications", "programmer"), directories: bool = False) -> Scene:
    scene = Scene(root)
    scene.out.mkdir(parents=True)
    for command in (
        ["init"],
        ["keys", "init"],
        [
            "site",
            "create",
            "--code",
            "017",
            "--name-kk",
            "Алматы қаласы ППЕНТ",
            "--name-ru",
            "ППЕНТ города Алматы",
            "--region",
            "02",
            "--building",
            "Бас ғимарат",
        ],
        ["site", "create", "--code", "018", "--name-kk", "Астана ППЕНТ", "--name-ru", "ППЕНТ Астана", "--region", "01"],
    ):
        result = scene.nct(*command)
        assert result.code == 0, result.err
    if directories:
        result = scene.nct("directories", "import", "--sample")
        assert result.code == 0, result.err
    for role in roles:
        scene.enrol(role)
    return scene


_BUILT: dict[str, Scene] = {}


def shared_scene(destination: Path) -> Scene:
    """A copy, at ``destination``, of one scene built once per test run (keys and KDFs are slow)."""
    if "scene" not in _BUILT:
        folder = Path(tempfile.mkdtemp(prefix="ent-exchange-scene-"))
        atexit.register(shutil.rmtree, folder, True)
        _BUILT["scene"] = make_scene(folder / "scene", directories=True)
    return _BUILT["scene"].copy(destination)
