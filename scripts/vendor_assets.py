"""Copy the front-end files listed in package.json ("annexeAssets") from
node_modules/ into static/vendor/, where Django's static files find them.

Run by `make assets` after `npm ci`; no CDN is ever used.
"""

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    manifest = json.loads((ROOT / "package.json").read_text())["annexeAssets"]
    missing = []
    for source, target in manifest.items():
        src = ROOT / "node_modules" / source
        dst = ROOT / "static" / "vendor" / target
        if not src.exists():
            missing.append(source)
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        if not dst.exists() or dst.read_bytes() != src.read_bytes():
            shutil.copyfile(src, dst)
    if missing:
        print("Missing front-end files (run npm ci):", ", ".join(missing), file=sys.stderr)
        return 1
    print(f"{len(manifest)} front-end files in static/vendor/.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
