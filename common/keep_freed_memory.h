// Keeps the memory a tool frees for its own reuse instead of handing it back to the kernel.
//
// A LibTorch model call allocates and frees the same large tensors every time (a bake batch,
// a training step). glibc gives blocks above its mmap threshold back with munmap, and trims
// the top of the heap, so the next call page-faults the same memory back in, zeroed by the
// kernel. Measured on a 320-point bake of the demo model (docs/REPORT.md, "Baking"), that
// cost more than the model itself: 9.1 s of which 2.8 s in the kernel, against 3.9 s and
// 0.4 s with the heap kept.
//
// A thread other than the main one allocates from an arena of its own, whose heaps are
// mappings of at most 64 MiB that glibc unmaps whenever one falls empty, whatever the trim
// threshold: a bake's second worker page-faulted its batches' tensors back on every call
// (the demo bake: 360,000 to 500,000 page faults and 2.6 to 3.5 s in the kernel, against
// about 90,000 and 1.2 s with one arena). So every thread allocates from the main heap.
//
// A block above glibc's largest mmap threshold (32 MiB; a training step of the demo VAE has
// such tensors) would still be mapped and unmapped every time, so no block is mapped: a
// one-epoch run of the demo VAE page-faulted 1.33 million times instead of 1.69 million, with
// 18-20 s of system time instead of 23-25 s, to the same losses (docs/REPORT.md, "The
// pipeline and its wall times").
//
// For the batch tools only (bake, training, evaluation): not for a host process such as Pd,
// whose allocator settings are its own.
#pragma once

namespace wae {

// Raises glibc's mmap threshold to its maximum (32 MiB), maps no block at all (larger ones
// come from the heap too), turns off trimming and keeps every thread on the main heap (one
// arena); once per process, before the first model call and before the process starts its
// threads. Returns false where the allocator refused (the tool
// then runs as before, only slower).
bool keepFreedMemory();

}  // namespace wae
