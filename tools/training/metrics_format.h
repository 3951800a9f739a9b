// How a trainer's per-epoch metrics are stored: a row of doubles in the checkpoint's
// history and a line of the metrics CSV, both made from one list of columns that the
// trainer writes once, so that the two cannot drift apart. No LibTorch.
//
// Threads: stateless.
#pragma once

#include <functional>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

namespace wae::training {

template <typename Metrics>
struct MetricsFormat {
  int columns = 0;  // values in a checkpoint row
  std::function<std::vector<double>(const Metrics&)> toRow;
  // fromRow(toRow(m)) gives m back, so a resumed run's CSV equals an uninterrupted one's.
  std::function<Metrics(const std::vector<double>&)> fromRow;
  std::function<std::string()> csvHeader;
  std::function<std::string(const Metrics&)> csvRow;
};

// The format of `columns`, a callable that calls column(name, field) for every field of
// the metrics it is given (const or not), in the order of the CSV; int, double and bool
// fields. A checkpoint row holds the fields as doubles (bool as 1 or 0), then zeros up to
// `checkpointColumns` (columns kept for compatibility). A CSV line holds the fields
// separated by ',' with 9 significant digits (bool as 1 or 0); the header, their names.
template <typename Metrics, typename Columns>
MetricsFormat<Metrics> columnsFormat(int checkpointColumns, Columns columns) {
  MetricsFormat<Metrics> f;
  f.columns = checkpointColumns;
  f.toRow = [columns, checkpointColumns](const Metrics& m) {
    std::vector<double> row;
    columns(m, [&](const char*, const auto& v) { row.push_back(static_cast<double>(v)); });
    row.resize(checkpointColumns, 0.0);
    return row;
  };
  f.fromRow = [columns](const std::vector<double>& row) {
    Metrics m;
    size_t i = 0;
    columns(m, [&](const char*, auto& v) { v = static_cast<std::decay_t<decltype(v)>>(row[i++]); });
    return m;
  };
  f.csvHeader = [columns] {
    std::string header;
    Metrics m;
    columns(m, [&](const char* name, const auto&) {
      if (!header.empty()) header += ',';
      header += name;
    });
    return header;
  };
  f.csvRow = [columns](const Metrics& m) {
    std::ostringstream os;
    os.precision(9);
    bool first = true;
    columns(m, [&](const char*, const auto& v) {
      if (!first) os << ',';
      first = false;
      if constexpr (std::is_same_v<std::decay_t<decltype(v)>, bool>)
        os << (v ? 1 : 0);
      else
        os << v;
    });
    return os.str();
  };
  return f;
}

}  // namespace wae::training
