"""Prints the token figures of tests/bench/all.sh from hyperfine's JSON exports."""
import json
import sys

cached = json.load(open(sys.argv[1]))["results"][0]
curl, cold = json.load(open(sys.argv[2]))["results"]


def ms(x):
    return x * 1000


print(f"  lcsauth token (cached)        {ms(cached['mean']):8.1f} ms ± {ms(cached['stddev']):.1f}   target ≤ 10 ms")
print(f"  curl, refresh grant           {ms(curl['mean']):8.1f} ms ± {ms(curl['stddev']):.1f}")
print(
    f"  lcsauth token --force (cold)  {ms(cold['mean']):8.1f} ms ± {ms(cold['stddev']):.1f}"
    f"   = {cold['mean'] / curl['mean']:.2f}× curl, target ≤ 1.3×"
)
