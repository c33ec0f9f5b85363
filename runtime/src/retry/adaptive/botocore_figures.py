"""Prints the figures that `figures.rs` checks the adaptive limiter against,
computed by botocore's own classes (botocore.retries.adaptive.ClientRateLimiter
with its real TokenBucket, CubicCalculator and RateClocker).

Rerun (botocore 1.44.5 is the release the project's models come from; the
adaptive-mode files have not changed in years):

    python3 -m pip install --target /tmp/bc botocore==1.44.5
    PYTHONPATH=/tmp/bc python3 runtime/src/retry/adaptive/botocore_figures.py

and paste its output over `BOTOCORE` in `figures.rs`.

The scenario: a client that wants to send a request every 0.1 s (60 of
them), then every 0.8 s (20 more), one at a time, each answered 0.05 s after
it is sent, against a server that admits 5 requests per second with a burst
of 5 and throttles the rest. Time only
moves as the scenario says: a wait in the token bucket advances the fake
clock by exactly the time botocore's bucket asked to wait.
"""

import math

import botocore
from botocore.retries import adaptive, bucket, throttling

START = 1000.3
# (requests, seconds between the times they are wanted): a busy phase that
# the server throttles, then a quiet one in which the fill rate may not run
# ahead of twice the rate the client really sends at.
PHASES = [(60, 0.1), (20, 0.8)]
LATENCY = 0.05
SERVER_RATE = 5.0
SERVER_BURST = 5.0


class FakeClock(bucket.Clock):
    def __init__(self, now):
        self.now = now

    def current_time(self):
        return self.now

    def sleep(self, amount):
        raise AssertionError("botocore's limiter does not sleep through the clock")


class FakeCondition:
    """Stands in for the bucket's threading.Condition: a wait moves the fake
    clock instead of blocking, so botocore's own blocking loop runs as is."""

    def __init__(self, clock):
        self.clock = clock
        self.waited = 0.0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def notify(self):
        pass

    def wait(self, amount):
        # botocore waits again while rounding leaves the bucket a hair
        # short of a token; a wait too small to move the clock at all
        # moves it by its smallest step, as real time would.
        before = self.clock.now
        self.clock.now = max(before + amount, math.nextafter(before, math.inf))
        self.waited += self.clock.now - before


class Detector:
    def __init__(self):
        self.throttled = False

    def is_throttling_error(self, **kwargs):
        return self.throttled


class Server:
    """The server's own token bucket: 5 per second, 5 at most."""

    def __init__(self, now):
        self.tokens = SERVER_BURST
        self.last = now

    def admits(self, now):
        self.tokens = min(SERVER_BURST, self.tokens + (now - self.last) * SERVER_RATE)
        self.last = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


def main():
    clock = FakeClock(START)
    # As adaptive.register_retry_handler builds them.
    cubic = throttling.CubicCalculator(starting_max_rate=0, start_time=clock.current_time())
    token_bucket = bucket.TokenBucket(max_rate=1, clock=clock)
    condition = FakeCondition(clock)
    token_bucket._new_fill_rate_condition = condition
    detector = Detector()
    limiter = adaptive.ClientRateLimiter(
        rate_adjustor=cubic,
        rate_clocker=adaptive.RateClocker(clock),
        token_bucket=token_bucket,
        throttling_detector=detector,
        clock=clock,
    )
    server = Server(START)
    print(f"/// botocore {botocore.__version__}: start {START!r}, (requests, demand interval) {PHASES!r},")
    print(f"/// answers after {LATENCY!r} s, server {SERVER_RATE!r}/s with a burst of {SERVER_BURST!r}.")
    print("/// (throttled, wait before sending, measured rate, fill rate after the answer)")
    print("#[rustfmt::skip]")
    print("const BOTOCORE: &[(bool, f64, f64, f64)] = &[")
    free_at = START
    wanted = START
    for count, interval in PHASES:
        for _ in range(count):
            clock.now = max(wanted, free_at)
            wanted += interval
            condition.waited = 0.0
            limiter.on_sending_request(request=None)
            wait = condition.waited
            sent = clock.now
            detector.throttled = not server.admits(sent)
            clock.now = sent + LATENCY
            limiter.on_receiving_response()
            free_at = clock.now
            measured = float(limiter._rate_clocker.measured_rate)
            print(
                f"    ({str(detector.throttled).lower()}, {float(wait)!r}, "
                f"{measured!r}, {float(token_bucket.max_rate)!r}),"
            )
    print("];")


if __name__ == "__main__":
    main()
