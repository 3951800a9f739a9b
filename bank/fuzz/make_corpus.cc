// make_corpus DIR: writes the fuzzer's seed corpus, a few tiny banks (2x2x2x2 grids of
// 8-sample waveforms): float32, int16, version 2 with pitch, version 3 with noise parts,
// version 4 with per-point scales, with projections, and one bake in progress.
#include <cmath>
#include <cstdio>
#include <string>

#include "bank/bank_writer.h"
#include "bank/grid.h"
#include "tools/bank/bake_file.h"

using namespace wae::bank;

namespace {

BankData tiny(StorageType storage, int length) {
  BankData b;
  BankInfo& i = b.info;
  i.gridShape = {2, 2, 2, 2};
  for (int a = 0; a < kDims; ++a) i.axes[a] = gridAxis(-2, 2, 2);
  i.sampleRate = 22050;
  i.length = length;
  i.storage = storage;
  i.modelSha256 = std::string(64, 'c');
  i.createdBy = "make_corpus";
  i.createdAt = "2024-01-01T00:00:00Z";
  std::vector<float> x(i.pointCount() * length);
  for (size_t k = 0; k < x.size(); ++k) x[k] = 0.5f * std::sin(0.7f * k);
  if (storage == StorageType::kInt16) {
    i.scale = int16Scale(0.5f);
    for (float v : x) b.i16.push_back(quantizeInt16(v, i.scale));
  } else {
    b.f32 = x;
  }
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_corpus DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  writeBank(dir + "/float32.h5", tiny(StorageType::kFloat32, 8));
  writeBank(dir + "/int16.h5", tiny(StorageType::kInt16, 8));
  // Version 2: per-point pitch (some points unpitched).
  BankData pitched = tiny(StorageType::kInt16, 8);
  for (size_t k = 0; k < pitched.info.pointCount(); ++k)
    pitched.f0Hz.push_back(k % 3 ? 110.0f * float(k) : 0.0f);
  pitched.f0Source = "model";
  writeBank(dir + "/pitched.h5", pitched);
  // Version 3: a noise part beside each waveform.
  BankData parts = pitched;
  parts.info.noisePart = true;
  for (size_t k = 0; k < pitched.i16.size(); ++k) parts.i16.push_back(int16_t(pitched.i16[k] / 8));
  writeBank(dir + "/noise_parts.h5", parts);
  // Version 4: each point its own scale (stored values kept: only the scales differ).
  BankData scaled = parts;
  for (size_t k = 0; k < scaled.info.pointCount(); ++k)
    scaled.info.pointScale.push_back(scaled.info.scale / float(1 + k % 5));
  writeBank(dir + "/point_scales.h5", scaled);
  BankData p = tiny(StorageType::kFloat32, 4);
  p.projections.points = {{0, 0, 0, 0}, {1, -1, 0.5f, 2}};
  p.projections.family = {0, 1};
  p.projections.familyNames = {"bass", "brass"};
  wae::AudioSettings s;
  s.hopLength = 4;
  s.nFrames = 1;
  s.nSamples = 4;
  s.nFft = 8;
  s.winLength = 8;
  s.nMels = 4;
  writeBank(dir + "/projections.h5", p, s);
  BankMeta meta;
  meta.info = tiny(StorageType::kFloat32, 8).info;
  BakeFile work = BakeFile::create(dir + "/unfinished.h5", meta, shardSlice(16, 0, 1));
  const std::vector<float> x(8 * 8, 0.25f);
  work.writeDone(0, 8, x.data());
  work.close();
  return 0;
}
