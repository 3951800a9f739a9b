// check_bank: every grid point's RMS, peak, spectral flatness and centroid, so that no silent,
// noise-only or clipping point goes unnoticed (docs/BANK.md, "Checking a whole bank").
//   bazel run //tools:check_bank -- --bank out/bank.h5
// Prints a summary (distributions, flagged points) and writes a CSV and a PNG (gnuplot).
// Exit status 0 whatever is flagged; 1 if the bank cannot be read or an output written.
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>

#include "common/paths.h"
#include "tools/bank/bake_options.h"
#include "tools/bank/check_bank.h"

int main(int argc, char** argv) {
  namespace bb = wae::bankbake;
  CLI::App app("Checks every waveform of a bank: RMS, peak, spectral flatness, centroid.");
  std::string bankPath, csv, png;
  bb::CheckOptions o;
  size_t maxListed = 100;
  app.add_option(
      "--bank", bankPath,
      std::string("bank.h5 to check (default: ") + bb::kDefaultOut + " in the workspace)");
  app.add_option("--csv", csv, "CSV to write (default: out/bank_check.csv in the workspace)");
  app.add_option("--png", png, "plot to write (default: out/bank_check.png in the workspace)");
  bb::addCheckOptions(app, o, maxListed);
  CLI11_PARSE(app, argc, argv);
  try {
    bankPath = wae::userOrWorkspacePath(bankPath, bb::kDefaultOut);
    csv = wae::userOrWorkspacePath(csv, "out/bank_check.csv");
    png = wae::userOrWorkspacePath(png, "out/bank_check.png");
    const bb::BankCheck check = bb::checkBankFile(bankPath, o);
    std::fputs(bb::formatSummary(check, o, maxListed).c_str(), stdout);
    std::fflush(stdout);
    bb::writeCheckCsv(csv, check);
    bb::writeCheckPlot(png, check, o);
    std::fprintf(stderr, "check_bank: wrote %s and %s\n", csv.c_str(), png.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "check_bank: %s\n", e.what());
    return 1;
  }
  return 0;
}
