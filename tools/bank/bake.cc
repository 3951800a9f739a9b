#include "tools/bank/bake.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "bank/bank_writer.h"
#include "bank/grid.h"
#include "bank/schema.h"
#include "common/keep_freed_memory.h"
#include "common/progress.h"
#include "common/sha256.h"
#include "tools/audio/pitch.h"
#include "tools/bank/bake_file.h"
#include "tools/dataset/dataset_reader.h"
#include "tools/generative/generative_model.h"

namespace wae::bankbake {
namespace {

constexpr char kCreatedBy[] = "wae-sampler bake_bank";
constexpr int kProjectBatch = 32;  // dataset examples per project() call

// The dataset's examples on the model's 4 axes, with their instrument families.
bank::Projections projectDataset(const GenerativeModel& model, const std::string& path) {
  bank::Projections p;
  if (!model.hasProject()) {
    // TODO(make_generative): once generative.pt exposes project(mel) (encoder mean, then the
    // PCA), every model can place the dataset's sounds; until then the bank carries none.
    std::fprintf(stderr,
                 "bake_bank: %s has no project() method: the bank will carry no dataset "
                 "projections\n",
                 model.path().c_str());
    return p;
  }
  const dataset::DatasetReader reader(path, model.audioSettings());
  const size_t rows = reader.rows();
  std::vector<float> mel, out(kProjectBatch * bank::kDims);
  for (size_t first = 0; first < rows; first += kProjectBatch) {
    const size_t n = std::min<size_t>(kProjectBatch, rows - first);
    std::vector<size_t> which(n);
    for (size_t k = 0; k < n; ++k) which[k] = first + k;
    reader.readMel(which, mel);
    model.project(mel.data(), int(n), out.data());
    for (size_t k = 0; k < n; ++k)
      p.points.push_back({out[4 * k], out[4 * k + 1], out[4 * k + 2], out[4 * k + 3]});
  }
  for (const auto& note : reader.notes()) {
    p.family.push_back(note.family);
    if (note.family >= 0) {
      if (size_t(note.family) >= p.familyNames.size()) p.familyNames.resize(note.family + 1);
      p.familyNames[note.family] = note.familyStr;
    }
  }
  return p;
}

}  // namespace

bool levelInDb(const GenerativeModel& model, const std::string& levelBlend) {
  if (levelBlend == "db") return true;
  if (levelBlend == "linear") return false;
  if (levelBlend == "auto") return model.hasDecode();
  throw std::invalid_argument("--level-blend must be auto, db or linear, got \"" + levelBlend +
                              "\"");
}

double blendExponent(bool withDecoder, const std::string& option) {
  if (option == "auto") return withDecoder ? kDecoderBlendExponent : 1.0;
  size_t used = 0;
  double e = std::nan("");
  try {
    e = std::stod(option, &used);
  } catch (const std::exception&) {
  }
  if (used != option.size() || !(e >= bank::kMinBlendExponent && e <= bank::kMaxBlendExponent))
    throw std::invalid_argument("--blend-exponent must be auto or a number from 1 to 8, got \"" +
                                option + "\"");
  return e;
}

bank::BankMeta planBank(const GenerativeModel& model, const BakeOptions& o) {
  bank::BankMeta meta;
  bank::BankInfo& info = meta.info;
  info.gridShape = o.grid;
  const AxisRanges ranges = o.ranges ? *o.ranges : model.axisRanges();
  for (int i = 0; i < bank::kDims; ++i)
    info.axes[i] = bank::gridAxis(ranges[i].first, ranges[i].second, o.grid[i]);
  info.sampleRate = model.sampleRate();
  info.length = model.length();
  info.storage = o.storage;
  info.modelSha256 = sha256FileHex(model.path());
  info.createdBy = kCreatedBy;
  meta.audio = model.audioSettings();
  // Every bank has pitch (version 2) unless asked not to: from the model's f0 method when it
  // has one, else estimated from each baked waveform by the project's estimator.
  if (!o.noPitch) meta.f0Source = model.hasF0() ? bank::kF0SourceModel : bank::kF0SourceEstimated;
  // With the model's harmonic and noise parts apart (version 3) unless asked for whole ones.
  info.noisePart = !o.noPitch && !o.whole && model.hasForwardParts();
  info.levelInDb = levelInDb(model, o.levelBlend);
  info.blendExponent = blendExponent(model.hasDecode(), o.blendExponent);
  if (!o.datasetPath.empty()) meta.projections = projectDataset(model, o.datasetPath);
  return meta;
}

std::array<float, bank::kDims> gridPoint(const bank::BankInfo& info, size_t point) {
  std::array<float, bank::kDims> z{};
  for (int i = bank::kDims - 1; i >= 0; --i) {
    z[i] = static_cast<float>(info.axes[i][point % info.gridShape[i]]);
    point /= info.gridShape[i];
  }
  return z;
}

BakeResult bake(const BakeOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
  const int workers = o.workers > 0 ? o.workers : cores;
  const int threads = o.threads > 0 ? o.threads : std::max(1, cores / workers);
  keepFreedMemory();
  setUpModelThread(threads);
  const GenerativeModel model = GenerativeModel::load(o.modelPath);
  const bank::BankMeta meta = planBank(model, o);
  const size_t points = meta.info.pointCount();
  const bank::Slice slice = bank::shardSlice(points, o.shard.index, o.shard.count);
  const bool sharded = o.shard.count > 1;
  const std::string finalPath = sharded ? shardPath(o.outPath, o.shard) : o.outPath;
  const std::string workPath = finalPath + ".partial";
  if (auto dir = std::filesystem::path(finalPath).parent_path(); !dir.empty())
    std::filesystem::create_directories(dir);

  BakeResult result;
  result.path = finalPath;
  // A shard finished earlier (a requeued array task) is a work file under its final name.
  std::string resumeFrom;
  if (o.resume && std::filesystem::exists(workPath))
    resumeFrom = workPath;
  else if (o.resume && sharded && std::filesystem::exists(finalPath))
    resumeFrom = finalPath;
  const bool resuming = !resumeFrom.empty();
  bank::BakeFile work = resuming ? bank::BakeFile::resume(resumeFrom, meta, slice)
                                 : bank::BakeFile::create(workPath, meta, slice);
  result.pointsResumed = work.doneCount();
  std::fprintf(
      stderr,
      "bake_bank: %s -> %s: grid %s (%zu points%s), %d samples at %d Hz, %s%s, batch %d, "
      "%d worker%s of %d thread%s\n",
      o.modelPath.c_str(), finalPath.c_str(), bank::formatShape(meta.info.gridShape).c_str(),
      points,
      sharded ? (", shard " + std::to_string(o.shard.index) + "/" + std::to_string(o.shard.count) +
                 " from " + o.shard.source + ": points " + std::to_string(slice.first) + ".." +
                 std::to_string(slice.first + slice.count - 1))
                    .c_str()
              : "",
      meta.info.length, meta.info.sampleRate, bank::storageName(o.storage),
      meta.info.noisePart ? ", harmonic and noise parts" : "", o.batch, workers,
      workers == 1 ? "" : "s", threads, threads == 1 ? "" : "s");
  if (o.resume)
    std::fprintf(stderr, "bake_bank: %s: %zu of %zu points already baked\n",
                 resuming ? "resuming" : "nothing to resume, starting", result.pointsResumed,
                 slice.count);

  // Runs of consecutive points still to bake, cut into batches, which the workers take in
  // turn. A GenerativeModel serves one thread at a time, so each worker past the first loads
  // its own copy (in its thread); the work file is written by one worker at a time.
  const std::vector<uint8_t>& done = work.done();
  Progress progress("bake_bank", int64_t(slice.count - result.pointsResumed), "points");
  const size_t length = meta.info.length;
  const size_t batch = std::max(1, o.batch);
  struct Batch {
    size_t first, count;  // in the slice
  };
  std::vector<Batch> batches;
  for (size_t k = 0; k < slice.count;) {
    if (done[k]) {
      ++k;
      continue;
    }
    size_t n = 0;
    while (n < batch && k + n < slice.count && !done[k + n]) ++n;
    batches.push_back({k, n});
    k += n;
  }
  const int running = int(std::min<size_t>(size_t(workers), std::max<size_t>(batches.size(), 1)));
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex writing;
  std::exception_ptr failure;
  auto worker = [&](const GenerativeModel& m) {
    try {
      setUpModelThread(threads);  // the executor's setting is the calling thread's
      std::vector<float> z(batch * bank::kDims), waves(batch * length), f0, noise;
      if (meta.info.noisePart) noise.resize(batch * length);
      for (size_t i; !failed && (i = next++) < batches.size();) {
        const Batch& b = batches[i];
        for (size_t j = 0; j < b.count; ++j) {
          const auto point = gridPoint(meta.info, slice.first + b.first + j);
          std::copy(point.begin(), point.end(), z.begin() + j * bank::kDims);
        }
        if (meta.info.noisePart) {
          f0 = m.forwardParts(z.data(), int(b.count), waves.data(), noise.data());
        } else if (meta.f0Source == bank::kF0SourceModel) {
          f0 = m.forwardWithF0(z.data(), int(b.count), waves.data());
        } else {
          m.forwardBatch(z.data(), int(b.count), waves.data());
        }
        if (meta.f0Source == bank::kF0SourceEstimated) {
          f0.resize(b.count);
          for (size_t j = 0; j < b.count; ++j)
            f0[j] =
                audio::estimatePitch(waves.data() + j * length, length, meta.info.sampleRate).f0Hz;
        }
        {
          const std::lock_guard<std::mutex> lock(writing);
          work.writeDone(slice.first + b.first, b.count, waves.data(),
                         work.hasF0() ? f0.data() : nullptr,
                         work.hasNoise() ? noise.data() : nullptr);
          progress.advance(int64_t(b.count));
          result.pointsBaked += b.count;
        }
        if (o.pauseMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(o.pauseMs));
      }
    } catch (...) {
      const std::lock_guard<std::mutex> lock(writing);
      if (!failure) failure = std::current_exception();
      failed = true;
    }
  };
  // Each worker past the first loads its copy in its own thread, while the first bakes.
  std::vector<std::thread> pool;
  for (int w = 1; w < running; ++w)
    pool.emplace_back([&] {
      std::unique_ptr<GenerativeModel> copy;
      try {
        copy = std::make_unique<GenerativeModel>(GenerativeModel::load(o.modelPath));
      } catch (...) {
        const std::lock_guard<std::mutex> lock(writing);
        if (!failure) failure = std::current_exception();
        failed = true;
        return;
      }
      worker(*copy);
    });
  worker(model);
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  progress.finish();
  work.close();

  if (sharded) {
    if (resumeFrom != finalPath) std::filesystem::rename(workPath, finalPath);
    std::fprintf(stderr, "bake_bank: shard %d/%d complete: %s (join the shards with merge_banks)\n",
                 o.shard.index, o.shard.count, finalPath.c_str());
  } else {
    const auto finishing = std::chrono::steady_clock::now();
    bank::finishBank({workPath}, finalPath, finalPath + ".finishing", bank::utcNow());
    std::filesystem::remove(workPath);
    std::fprintf(
        stderr, "bake_bank: wrote %s (finished in %.2f s)\n", finalPath.c_str(),
        std::chrono::duration<double>(std::chrono::steady_clock::now() - finishing).count());
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace wae::bankbake
