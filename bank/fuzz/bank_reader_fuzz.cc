// libFuzzer target: mutated bank files must give wae::FormatError, never a crash, a hang, a
// leak of HDF5 handles or an unbounded allocation. Built by bank/fuzz/build.sh (clang,
// -fsanitize=fuzzer,address,undefined) or by the Bazel genrule beside it.
#include <H5Cpp.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bank/bank_reader.h"
#include "common/errors.h"

namespace {

std::string inputPath() {
  const char* dir = std::getenv("TEST_TMPDIR");
  if (!dir) dir = std::getenv("TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/bank_fuzz_" + std::to_string(getpid()) + ".h5";
}

// The HDF5 objects open in the process by kind (files, groups, datasets, attributes,
// datatypes), over every file. Datatypes include the C++ API's predefined types, which live
// as long as the process: inputs compare with the count before the first. (HDF5 has no
// public count of dataspaces or property lists.)
std::string openIds() {
  std::string s;
  for (unsigned kind :
       {H5F_OBJ_FILE, H5F_OBJ_GROUP, H5F_OBJ_DATASET, H5F_OBJ_ATTR, H5F_OBJ_DATATYPE})
    s += std::to_string(H5Fget_obj_count(H5F_OBJ_ALL, kind)) + " ";
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = inputPath();
  static const std::string baseline = openIds();
  // A fresh file each time: HDF5 recognises an already open file by device and inode.
  std::remove(path.c_str());
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  if (size && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);

  wae::bank::ReadOptions options;
  options.maxBytes = 64 << 20;
  try {
    const wae::bank::BankInfo info = wae::bank::readInfo(path);
    const wae::bank::BankData bank = wae::bank::readBank(path, options);
    // What the runtime relies on once a bank loads.
    const size_t samples = bank.info.rowCount() * size_t(bank.info.length);
    if ((bank.info.storage == wae::bank::StorageType::kFloat32 ? bank.f32.size()
                                                               : bank.i16.size()) != samples ||
        info.pointCount() != bank.info.pointCount() || info.noisePart != bank.info.noisePart ||
        (bank.info.noisePart && bank.f0Hz.size() != bank.info.pointCount()))
      std::abort();
  } catch (const wae::FormatError&) {
    // The expected outcome for a damaged file.
  }
  // Every file, dataset, group and attribute we opened must be closed again, error or not
  // (transient datatypes are HDF5's own C++ constants).
  const ssize_t open =
      H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_FILE | H5F_OBJ_DATASET | H5F_OBJ_GROUP | H5F_OBJ_ATTR);
  if (open != 0) {
    std::fprintf(stderr, "bank_reader_fuzz: %zd HDF5 objects left open\n", open);
    std::abort();
  }
  const std::string now = openIds();
  if (now != baseline) {
    std::fprintf(stderr,
                 "bank_reader_fuzz: HDF5 objects open (files groups datasets attributes "
                 "datatypes) %s, %s before\n",
                 now.c_str(), baseline.c_str());
    std::abort();
  }
  return 0;
}
