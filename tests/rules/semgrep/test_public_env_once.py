"""EXP201 once per public-prefixed secret name: a Next.js app that reads ``NEXT_PUBLIC_S3_SECRET_ACCESS_KEY`` in
a browser upload module and in a server module, and lists it in ``.env.example``, has one exposure, reported
where the browser bundle takes it in (set 15 chatpdf: the same name was three findings). A name only an env
file holds stays reported there; the variable's name is shown whole (it is no secret)."""

from __future__ import annotations

from pathlib import Path

from scanner.api import ScanOptions, scan
from scanner.config import Config

PACKAGE = '{"name": "chatpdf", "dependencies": {"next": "14.0.0", "react": "18.2.0"}}\n'
ENV = "NEXT_PUBLIC_S3_BUCKET_NAME=\nNEXT_PUBLIC_S3_SECRET_ACCESS_KEY=\nNEXT_PUBLIC_STRIPE_SECRET_KEY=\n"
BROWSER = ("'use client';\nimport { S3 } from 'aws-sdk';\n\nexport async function uploadToS3(file: File) {\n"
           "  const s3 = new S3({\n    accessKeyId: 'unused',\n"
           "    secretAccessKey: process.env.NEXT_PUBLIC_S3_SECRET_ACCESS_KEY,\n  });\n"
           "  return s3.putObject({ Bucket: process.env.NEXT_PUBLIC_S3_BUCKET_NAME!, Key: file.name }).promise();\n}\n")
SERVER = ("import fs from 'fs';\nimport { S3 } from 'aws-sdk';\n\nexport async function downloadFromS3(key: string) {\n"
          "  const s3 = new S3({ secretAccessKey: process.env.NEXT_PUBLIC_S3_SECRET_ACCESS_KEY });\n"
          "  const obj = await s3.getObject({ Bucket: 'b', Key: key }).promise();\n"
          "  fs.writeFileSync('/tmp/x', obj.Body as Buffer);\n}\n")


def test_one_exposure_per_name_at_the_browser_read(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text(PACKAGE)
    (tmp_path / ".env.example").write_text(ENV)
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "s3.ts").write_text(BROWSER)
    (tmp_path / "lib" / "s3-server.ts").write_text(SERVER)
    result = scan(tmp_path, Config(), ScanOptions(families=("client-exposure",)))
    found = sorted((f.location.path, f.location.line, f.message) for f in result.findings if f.rule_id == "EXP201")
    assert found == [
        (".env.example", 3, "NEXT_PUBLIC_STRIPE_SECRET_KEY is inlined into the browser bundle by its public prefix "
                            "and holds a secret (secret-looking name)"),
        ("lib/s3.ts", 7, "NEXT_PUBLIC_S3_SECRET_ACCESS_KEY is inlined into the browser bundle (secret-looking "
                         "name)"),
    ]


def test_a_committed_value_and_another_app_stay_findings_of_their_own(tmp_path: Path) -> None:
    """Attacks from the README: an env file that commits a secret value behind the prefix is a leak of its own,
    and the same name in a second app of a monorepo is a second exposure."""
    key = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"[::-1] + "A1b2C3d4"
    for app in ("apps/web", "apps/admin"):
        (tmp_path / app / "lib").mkdir(parents=True)
        (tmp_path / app / "package.json").write_text(PACKAGE)
        (tmp_path / app / "lib" / "pay.ts").write_text(
            "'use client';\nexport const stripeKey = () => process.env.NEXT_PUBLIC_STRIPE_SECRET_KEY;\n")
    (tmp_path / "apps/admin/.env.production").write_text(f"NEXT_PUBLIC_STRIPE_SECRET_KEY={key}\n")
    result = scan(tmp_path, Config(), ScanOptions(families=("client-exposure",)))
    found = sorted((f.location.path, f.location.line) for f in result.findings if f.rule_id == "EXP201")
    assert found == [("apps/admin/.env.production", 1), ("apps/admin/lib/pay.ts", 2), ("apps/web/lib/pay.ts", 2)]
    assert all(key not in f.message + f.snippet for f in result.findings)
