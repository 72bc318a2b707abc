"""The composer's two costs: counting as people type, and preparing photos for every network.

    .venv/bin/python bench/composer.py [runs]

1. Measuring a 500-character text for all networks (what the live counter asks the
   server at each pause in typing): target under 2 ms. Also the full live check
   (measure + every network's check), which is what the counter request really runs.
2. Making every network's rendition of a 24-megapixel JPEG (6000 × 4000, a phone or
   camera photo): normalising the upload (orientation, metadata stripped, kept at most
   4096 px, decoded at half scale when that keeps 2560 px: 3000 × 2000), then every
   network's rendition within its limits in one pass (images.render_many, as the
   media_prepare_renditions task does). Wall time and the process's CPU time (on a
   shared machine the CPU time says more) are printed. Target under 1.5 s on
   this 2-core machine and under 300 MB of memory. Each run happens in a fresh process,
   whose peak resident memory (getrusage ru_maxrss) is reported with the part due to
   the pipeline (peak minus the memory in use just before it started).

Prints its figures, then one summary line starting with "SUMMARY".
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path, and bench/calendar.py
# would shadow the standard calendar module (http.cookiejar, hence requests, imports it):
# PITFALLS.md. Drop the folder, then import the project from its root.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

MEASURE_TARGET_MS = 2.0
RENDITIONS_TARGET_S = 1.5
MEMORY_TARGET_MB = 300


def photo_24mp(path: Path) -> Path:
    """A 6000 × 4000 JPEG that compresses like a photo (gradients, shapes, grain)."""
    if path.exists():
        return path
    from PIL import Image, ImageDraw, ImageFilter

    width, height = 6000, 4000
    base = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    tint = Image.new("RGB", (width, height), (40, 110, 170))
    image = Image.blend(base, tint, 0.5)
    draw = ImageDraw.Draw(image)
    for index in range(40):
        x, y = (index * 397) % width, (index * 211) % height
        draw.ellipse((x, y, x + 600, y + 420), fill=((index * 53) % 255, 90, (index * 29) % 255))
    image = image.filter(ImageFilter.GaussianBlur(3))
    grain = Image.effect_noise((width, height), 40).convert("RGB")
    image = Image.blend(image, grain, 0.12)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=92)
    return path


def measure_text(runs: int) -> dict:
    from bench.networks_measure import mixed_text
    from networks import VariantInput, all_networks

    text = mixed_text(500)
    networks = all_networks()

    def measure_all() -> None:
        for network in networks:
            network.measure(text)

    def check_all() -> None:
        for network in networks:
            variant = VariantInput(text=text)
            network.measure(network.final_text(variant))
            network.check(variant)

    results = {}
    for name, function in (("measure", measure_all), ("check", check_all)):
        function()  # warm up
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            function()
            samples.append((time.perf_counter() - start) * 1000)
        results[name] = {
            "mean": statistics.fmean(samples),
            "p95": statistics.quantiles(samples, n=20)[-1],
        }
    return results


def child(path: str) -> None:
    """One run of the photo pipeline in this (fresh) process; prints JSON."""
    import os
    import resource

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ANNEXE_VAR_DIR", str(ROOT / "var" / "bench"))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    import psutil
    from django.conf import settings

    from networks import all_networks
    from posts import images
    from posts.services.media import rendition_spec

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    data = Path(path).read_bytes()
    # What media_upload and the media_prepare_renditions task do, without storage.
    jobs = {network.key: (rendition_spec(network), "pad") for network in all_networks()}
    max_pixels = settings.MEDIA_MAX_MEGAPIXELS * 1_000_000
    before_mb = psutil.Process().memory_info().rss / 1e6
    start, start_cpu = time.perf_counter(), cpu()
    normalised = images.normalise(
        data,
        max_pixels=max_pixels,
        max_side=settings.MEDIA_MAX_SIDE,
        min_side=settings.MEDIA_MIN_SIDE,
    )
    ingest = time.perf_counter() - start
    sizes = {}
    made = images.render_many(normalised.master.content, jobs, max_pixels=max_pixels)
    for key, encoded in made.items():
        sizes[key] = (encoded.width, encoded.height, len(encoded.content), encoded.mime_type)
    total = time.perf_counter() - start
    cpu_s = cpu() - start_cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "ingest": ingest,
                "renditions": total - ingest,
                "total": total,
                "cpu": cpu_s,
                "peak_mb": peak_mb,
                "before_mb": before_mb,
                "master": [normalised.master.width, normalised.master.height],
                "sizes": sizes,
            }
        )
    )


def renditions(path: Path, runs: int) -> list[dict]:
    results = []
    for _ in range(runs):
        output = subprocess.run(
            [sys.executable, __file__, "--child", str(path)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        results.append(json.loads(output.stdout.strip().splitlines()[-1]))
    return results


def main(runs: int = 2000) -> int:
    from PIL import Image

    text = measure_text(runs)
    print(f"Live counter, a 500-character mixed text, all networks, {runs} runs:")
    for name, label in (("measure", "measure()         "), ("check", "measure + check()")):
        figures = text[name]
        print(f"  {label}  mean {figures['mean']:.3f} ms   p95 {figures['p95']:.3f} ms")

    path = ROOT / "var" / "bench" / "photo-24mp.jpg"
    # Made in a child process: Linux keeps a process's peak RSS across exec, so a parent
    # that had drawn the photo (about 600 MB) would pass that peak on to every child run.
    subprocess.run([sys.executable, __file__, "--photo", str(path)], check=True, cwd=ROOT)
    with Image.open(path) as image:
        size = image.size
    megabytes = path.stat().st_size / 1e6
    print(f"\nPhoto pipeline, {size[0]} × {size[1]} JPEG ({megabytes:.1f} MB), 3 runs:")
    results = renditions(path, 3)
    for result in results:
        print(
            f"  ingest {result['ingest']:.3f} s + renditions {result['renditions']:.3f} s"
            f" = {result['total']:.3f} s (CPU {result['cpu']:.3f} s);"
            f" peak RSS {result['peak_mb']:.0f} MB"
            f" (pipeline {result['peak_mb'] - result['before_mb']:.0f} MB)"
        )
    print("  renditions of the last run:")
    for key, (width, height, size_bytes, mime) in results[-1]["sizes"].items():
        print(f"    {key:<10} {width:>5} × {height:<5} {size_bytes / 1e6:6.2f} MB  {mime}")

    total = statistics.median(r["total"] for r in results)
    peak = max(r["peak_mb"] for r in results)
    measure_ok = text["measure"]["p95"] < MEASURE_TARGET_MS
    photo_ok = total < RENDITIONS_TARGET_S and peak < MEMORY_TARGET_MB
    print(
        f"SUMMARY composer: measure 500 chars × all networks p95 {text['measure']['p95']:.3f} ms"
        f" (target < {MEASURE_TARGET_MS} ms) {'OK' if measure_ok else 'TOO SLOW'};"
        f" 24 MP photo → all renditions median {total:.2f} s (target < {RENDITIONS_TARGET_S} s),"
        f" peak RSS {peak:.0f} MB (target < {MEMORY_TARGET_MB} MB) {'OK' if photo_ok else 'OVER'}"
    )
    return 0 if measure_ok and photo_ok else 1


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2])
    elif len(sys.argv) > 2 and sys.argv[1] == "--photo":
        photo_24mp(Path(sys.argv[2]))
    else:
        sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
