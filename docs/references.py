"""Where a name the pages use is defined: the primary source a reader should open.

finish_site.py links the first use of each name in a tutorial page's running text
(`code` in a paragraph, a list or a table, not in a listing) to it; the site's
check (tests/docs/check_site.py) makes sure every such link is well formed, goes
to a host named here, opens in the same tab, and that no first use was missed.
Nothing is fetched: the build machine is offline, and the addresses are the
sources' stable ones.
"""

CPPREFERENCE = "https://en.cppreference.com/w/cpp/"
OPEN_MPI = "https://www.open-mpi.org/doc/v4.1/man3/"
CUDA_GUIDE = "https://docs.nvidia.com/cuda/cuda-c-programming-guide/index.html"
MAN = "https://man7.org/linux/man-pages/"

# What a link's tooltip calls each source, by the start of its address.
SOURCES = {
    CPPREFERENCE: "on cppreference",
    OPEN_MPI: "in Open MPI's manual",
    CUDA_GUIDE: "in CUDA's programming guide",
    MAN: "in the Linux manual",
    "https://nvidia.github.io/cccl/": "in CUB's documentation",
}


def source_of(address):
    """How a tooltip names the source at ADDRESS."""
    return next((said for start, said in SOURCES.items() if address.startswith(start)), "where it is defined")

# The name as the pages write it in `code`, and its page. A name followed by more
# (`std::atomic<std::uint64_t>`, `std::jthread`s) counts as a use of it.
NAMES = {
    "std::thread::hardware_concurrency": CPPREFERENCE + "thread/thread/hardware_concurrency",
    "std::thread": CPPREFERENCE + "thread/thread",
    "std::jthread": CPPREFERENCE + "thread/jthread",
    "std::stop_token": CPPREFERENCE + "thread/stop_token",
    "std::stop_source": CPPREFERENCE + "thread/stop_source",
    "std::atomic_ref": CPPREFERENCE + "atomic/atomic_ref",
    "std::atomic": CPPREFERENCE + "atomic/atomic",
    "fetch_add": CPPREFERENCE + "atomic/atomic/fetch_add",
    "memory_order": CPPREFERENCE + "atomic/memory_order",
    "memory_order_relaxed": CPPREFERENCE + "atomic/memory_order",
    "memory_order_acquire": CPPREFERENCE + "atomic/memory_order",
    "memory_order_release": CPPREFERENCE + "atomic/memory_order",
    "memory_order_seq_cst": CPPREFERENCE + "atomic/memory_order",
    "std::hardware_destructive_interference_size": CPPREFERENCE + "thread/hardware_destructive_interference_size",
    "std::mutex": CPPREFERENCE + "thread/mutex",
    "std::condition_variable": CPPREFERENCE + "thread/condition_variable",
    "std::latch": CPPREFERENCE + "thread/latch",
    "std::binary_semaphore": CPPREFERENCE + "thread/counting_semaphore",
    "std::async": CPPREFERENCE + "thread/async",
    "std::future_errc::broken_promise": CPPREFERENCE + "thread/future_errc",
    "std::future_error": CPPREFERENCE + "thread/future_error",
    "std::future": CPPREFERENCE + "thread/future",
    "std::promise": CPPREFERENCE + "thread/promise",
    "std::packaged_task": CPPREFERENCE + "thread/packaged_task",
    "std::exception_ptr": CPPREFERENCE + "error/exception_ptr",
    "std::terminate": CPPREFERENCE + "error/terminate",
    "std::system_error": CPPREFERENCE + "error/system_error",
    "std::execution::par": CPPREFERENCE + "algorithm/execution_policy_tag",
    "std::transform_reduce": CPPREFERENCE + "algorithm/transform_reduce",
    "std::views::iota": CPPREFERENCE + "ranges/iota_view",
    "std::chrono::steady_clock": CPPREFERENCE + "chrono/steady_clock",
    "std::launch::async": CPPREFERENCE + "thread/launch",
    "std::_Exit": CPPREFERENCE + "utility/program/_Exit",
    "fork": MAN + "man2/fork.2.html",
    "waitpid": MAN + "man2/waitpid.2.html",
    "_exit": MAN + "man2/_exit.2.html",
    "mmap": MAN + "man2/mmap.2.html",
    "shm_open": MAN + "man3/shm_open.3.html",
    "pipe": MAN + "man2/pipe.2.html",
    "prctl": MAN + "man2/prctl.2.html",
    "sigtimedwait": MAN + "man2/sigtimedwait.2.html",
    "mq_open": MAN + "man3/mq_open.3.html",
    "mq_send": MAN + "man3/mq_send.3.html",
    "mq_timedsend": MAN + "man3/mq_send.3.html",
    "mq_receive": MAN + "man3/mq_receive.3.html",
    "mq_timedreceive": MAN + "man3/mq_receive.3.html",
    "pthread_create": MAN + "man3/pthread_create.3.html",
    "pthread_mutex_lock": MAN + "man3/pthread_mutex_lock.3p.html",
    "pthread_mutex_timedlock": MAN + "man3/pthread_mutex_timedlock.3p.html",
    "MPI_Init": OPEN_MPI + "MPI_Init.3.php",
    "MPI_Comm_rank": OPEN_MPI + "MPI_Comm_rank.3.php",
    "MPI_Comm_size": OPEN_MPI + "MPI_Comm_size.3.php",
    "MPI_Reduce": OPEN_MPI + "MPI_Reduce.3.php",
    "MPI_Allreduce": OPEN_MPI + "MPI_Allreduce.3.php",
    "MPI_Gather": OPEN_MPI + "MPI_Gather.3.php",
    "MPI_Send": OPEN_MPI + "MPI_Send.3.php",
    "MPI_Isend": OPEN_MPI + "MPI_Isend.3.php",
    "MPI_Irecv": OPEN_MPI + "MPI_Irecv.3.php",
    "MPI_Sendrecv": OPEN_MPI + "MPI_Sendrecv.3.php",
    "MPI_Waitall": OPEN_MPI + "MPI_Waitall.3.php",
    "MPI_Barrier": OPEN_MPI + "MPI_Barrier.3.php",
    "__syncthreads": CUDA_GUIDE + "#synchronization-functions",
    "__shfl_down_sync": CUDA_GUIDE + "#warp-shuffle-functions",
    "__syncwarp": CUDA_GUIDE + "#synchronization-functions",
    "cub::DeviceReduce::Sum": "https://nvidia.github.io/cccl/cub/api/structcub_1_1DeviceReduce.html",
}

# Every host a link out of the site may go to: the sources above, and those the
# pages link by hand (the C++ working draft, PEP 703, Harris's slides, the OpenMP
# specification, the CUDA and CCCL documentation, Perfetto's trace viewer), and
# Doxygen's own in the footer.
HOSTS = {
    "en.cppreference.com", "eel.is", "www.open-mpi.org", "docs.nvidia.com", "nvidia.github.io",
    "developer.download.nvidia.com", "peps.python.org", "www.openmp.org", "docs.python.org",
    "www.mpi-forum.org", "github.com", "www.boost.org", "man7.org", "ui.perfetto.dev",
    "www.doxygen.org",  # the footer: "Generated by doxygen"
}
