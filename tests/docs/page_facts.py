"""Numbers in the pages' prose that look measured but are facts: constants of the
code, settings a run was given, arithmetic on the page itself. check_site.py lets
these through, page by page, and fails on any other measured-looking number typed
into prose (a time, a ratio, a percentage), and on an entry here that its page no
longer says. Every entry says why it is a fact and where it comes from.

A measured figure does not belong here: insert it from the build's data with
\\fig{FILE::KEY} (docs/figures.py), or make it a \\claim{ID::…} that a test reads
from the page and checks against committed data (tests/support/page_claims.hpp).
"""



class Constant(str):
    """A fact that is a constant of the code: why it is a fact, and where the code
    says it (a file of the repository and a text it must hold). check_site.py fails
    when the file no longer holds the text, so the page cannot keep a value the code
    has changed."""

    def __new__(cls, why, path, text):
        fact = super().__new__(cls, why)
        fact.path, fact.text = path, text
        return fact


# The pause per element in step-by-step runs (small N), so that workers visibly
# interleave: ptut::kStepPause.
STEP_PAUSE = Constant("the pause per element of step-by-step runs: ptut::kStepPause",
                      "common/include/ptut/report.hpp", "kStepPause{2}")
# ptut::ChildProcesses::wait()'s tick, and chapter 4's timer: every 50 ms.
TICK = Constant("the parent's tick: ChildProcesses::wait's default (chapter 4's timer has the same)",
                "common/include/ptut/process.hpp", "tick = std::chrono::milliseconds(50)")
# The Boost lock timeout the project builds with.
LOCK_TIMEOUT = Constant("the project's Boost lock timeout, set in common/CMakeLists.txt",
                        "common/CMakeLists.txt", "TIMEOUT_WHEN_LOCKING_DURATION_MS=1500")
# Two cores can at best halve a run: the ceiling every speedup is read against.
TWO_CORES = "the most two workers on two cores can give: arithmetic"

FACTS = {
    "ch01_serial_sum": {
        "1.90×": "Amdahl's law at p = 0.95 and K = 2, computed on the page: 1/(0.05 + 0.95/2)",
        "20×": "Amdahl's limit 1/(1 − p) at p = 0.95, computed on the page",
    },
    "ch02_fork_shared_memory": {
        "2 ms": STEP_PAUSE,
        "50 ms": TICK,
        "1.5 s": LOCK_TIMEOUT,
        "2×": TWO_CORES,
    },
    "ch03_threads_atomics": {
        "2 ms": STEP_PAUSE,
        "2×": TWO_CORES,
    },
    "ch04_pipes": {
        "2 ms": STEP_PAUSE,
        "10 ms": "how often a worker sends a progress record: a constant in worker_main",
        "20 ms": "the pause per element of the --slow worker: a constant in worker_main",
        "50 ms": TICK,
        "200 ms": "how long the parent waits for its own copy of a stop signal: Gatherer::on_exit",
    },
    "ch05_message_queues": {
        "2 ms": STEP_PAUSE,
        "1.5 s": LOCK_TIMEOUT,
    },
    "ch06_gil_contrast": {
        "500 ms": "the default of --block-ms",
        "0.1 ms": "how long the convoy's server waits before it answers: kServerDelay",
        "5 ms": "CPython's default switch interval, and this program's: a setting",
        "0.5 ms": "a switch interval the page's runs ask for (--switch-interval 0.5)",
        "2×": TWO_CORES,
    },
    "ch07_measuring": {
        "1.5 s": "the full grid's budget per run (--budget), and the Boost lock timeout: settings",
        "3.5×": "Amdahl's law at e = 0.05 and K = 4, computed on the page: 1/(0.05 + 0.95/4)",
        "20×": "Amdahl's limit 1/e at e = 0.05, computed on the page",
        "5%": "how clearly two workers must win to count as a crossover: a rule of the driver (statistics.hpp)",
    },
    "ch08_mpi": {
        "2 ms": STEP_PAUSE,
        "2×": TWO_CORES,
        "1.8×": "the goal the chapter was written against, not a measurement",
    },
}
