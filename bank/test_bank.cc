#include "bank/test_bank.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "bank/bank_writer.h"
#include "bank/grid.h"

namespace wae::bank {

BankData testBank(StorageType storage, const std::string& createdBy) {
  BankData b;
  BankInfo& i = b.info;
  i.gridShape = {3, 3, 2, 2};
  for (int a = 0; a < kDims; ++a) i.axes[a] = gridAxis(-1.0 - a, 1.0 + a, i.gridShape[a]);
  i.sampleRate = 22050;
  i.length = kTestBankLength;
  i.modelSha256 = std::string(64, 'a');
  i.createdBy = createdBy;
  i.createdAt = "2024-01-01T00:00:00Z";
  i.storage = storage;
  std::vector<float> x(i.pointCount() * kTestBankLength);
  for (size_t k = 0; k < x.size(); ++k)
    x[k] = 0.5f * std::sin(0.1f * k + 0.01f * (k / kTestBankLength));
  if (storage == StorageType::kInt16) {
    float maxAbs = 0;
    for (float v : x) maxAbs = std::max(maxAbs, std::fabs(v));
    i.scale = int16Scale(maxAbs);
    for (float v : x) b.i16.push_back(quantizeInt16(v, i.scale));
  } else {
    b.f32 = x;
  }
  return b;
}

}  // namespace wae::bank
