"""How long measuring a 500-character post takes, per network and for all of them.

The composer asks the server for every selected network's count as people type, so
measuring one text on all networks must stay well under 2 ms.

    .venv/bin/python bench/networks_measure.py [runs]

Prints, per network, the mean and 95th percentile of `measure()` over the runs, then the
same for all networks measured one after the other, and a last summary line.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path, and bench/calendar.py
# would shadow the standard calendar module (http.cookiejar, hence requests, imports it):
# PITFALLS.md. Drop the folder, then import the project from its root.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from networks import all_networks  # noqa: E402

TARGET_MS = 2.0
PARAGRAPH = (
    "Ce samedi à la médiathèque : atelier « Lecture d’été » 📚☀️ pour les 6-12 ans ! "
    "Inscriptions sur https://bm.example.fr/agenda/atelier-ete?id=42 ou sur "
    "www.ville-exemple.fr/mediatheques. Coup de cœur de l’équipe 👩🏽‍🏫 : "
    "« Le Château des animaux » #LectureDÉté #BD #Jeunesse. Merci @alice@mastodon.social "
    "et @bob ! Programme : bm.example.fr/programme 🇫🇷 👨‍👩‍👧‍👦 Café, thé et gâteaux… "
    "Entrée libre, accès PMR, on vous attend nombreuses et nombreux. "
)


def mixed_text(length: int = 500) -> str:
    """Exactly `length` code points: accents, emoji (skin tone, ZWJ, flag), three URLs
    (two without a scheme), hashtags, mentions and typographic punctuation."""
    text = (PARAGRAPH * (length // len(PARAGRAPH) + 1))[:length]
    assert len(text) == length
    return text


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def timed(function, text: str, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function(text)
        samples.append(time.perf_counter() - start)
    return samples


def main(runs: int = 2000) -> int:
    text = mixed_text()
    networks = all_networks()
    for network in networks:  # warm up (regex caches, first-call costs)
        network.measure(text)

    print(f"measure() of a {len(text)}-character mixed text, {runs} runs")
    for network in networks:
        samples = timed(network.measure, text, runs)
        print(
            f"  {network.key:<10} {network.measure(text):>5} of {network.text_limits.max_length:>6}"
            f"   mean {statistics.fmean(samples) * 1e6:7.1f} µs   p95 {p95(samples) * 1e6:7.1f} µs"
        )

    def measure_all(value: str) -> None:
        for network in networks:
            network.measure(value)

    samples = timed(measure_all, text, runs)
    mean_ms, p95_ms = statistics.fmean(samples) * 1e3, p95(samples) * 1e3
    print(f"  all {len(networks)} networks   mean {mean_ms:.3f} ms   p95 {p95_ms:.3f} ms")
    verdict = "OK" if p95_ms < TARGET_MS else "TOO SLOW"
    print(
        f"networks_measure: all {len(networks)} networks on 500 characters: "
        f"mean {mean_ms:.3f} ms, p95 {p95_ms:.3f} ms (target < {TARGET_MS} ms) {verdict}"
    )
    return 0 if p95_ms < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
