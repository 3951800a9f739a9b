// The stdio streams the statically linked HDF5 inside the Pd external writes to (see
// third_party/BUILD, :hdf5_stdio): its references to stdout, stderr and std::cerr are renamed
// to these, which point at the process's own streams. HDF5 writes to them only for error
// stacks (which the project turns off, common/h5_util.h quietErrors) and debugging output.
// Set once when the external is loaded (a constructor, on Pd's thread, before any HDF5 call);
// read-only afterwards, from whichever thread calls HDF5.
#include <cstdio>
#include <iostream>

extern "C" {
__attribute__((visibility("hidden"))) FILE* wae_hdf5_stdout = nullptr;
__attribute__((visibility("hidden"))) FILE* wae_hdf5_stderr = nullptr;
}

// An ostream on std::cerr's buffer: output goes where std::cerr's does.
__attribute__((visibility("hidden"))) std::ostream waeHdf5Cerr __asm__("wae_hdf5_cerr")(
    std::cerr.rdbuf());

namespace {
__attribute__((constructor)) void pointAtTheProcessStreams() {
  wae_hdf5_stdout = stdout;
  wae_hdf5_stderr = stderr;
}
}  // namespace
