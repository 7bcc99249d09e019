// Preloaded into chapter 8's ranks under the asan preset (LD_PRELOAD): dlclose does
// nothing, so every shared library a process loaded is still loaded when it ends.
//
// Open MPI unloads its plug-ins (mca_*.so) in MPI_Finalize. What they allocated and
// keep is then reported by LeakSanitizer at exit with a stack that ends in an
// unknown module, and the suppressions in lsan_open_mpi.supp, which name Open MPI's
// libraries and plug-ins, cannot match it. Kept loaded, each frame has its module's
// name. (Before this, the tests asked for full stacks on every malloc instead,
// ASAN_OPTIONS fast_unwind_on_malloc=0, which made each rank several times slower.)
extern "C" int dlclose(void* handle) {
  (void)handle;
  return 0;
}
