// The tables chapters keep as their reference (ptut_chapter_table's REFERENCE,
// kept by the target reference_tables) are what their ABOUT.txt promises: every
// row the median of three runs, measured while the machine did nothing else, and
// every table written in full. Nothing is timed here; the files are read.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

TEST(ReferenceTables, AreMediansOfThreeOrMoreOnAQuietMachineWithTheirAbout) {
  int tables = 0;
  for (const auto& chapter : fs::directory_iterator(PTUT_SOURCE_DIR "/chapters")) {
    const fs::path folder = chapter.path() / "reference";
    if (!fs::is_directory(folder)) continue;
    for (const auto& entry : fs::directory_iterator(folder)) {
      if (entry.path().extension() != ".json") continue;
      std::ifstream file(entry.path());
      const nlohmann::json figures = nlohmann::json::parse(file, nullptr, false);
      if (figures.is_discarded() || !figures.is_object() || !figures.contains("runs") ||
          !figures["runs"].is_string()) {
        continue;  // not a measured table (chapter 7's dataset, chapter 11's device
                   // check)
      }
      ++tables;
      const std::string name = entry.path().string();
      // "3 runs", or more where a table's rows are short and the machine noisy
      // (chapter 12's counters: 5)
      const std::string runs = figures.value("runs", "");
      EXPECT_TRUE(runs.size() > 5 && runs.substr(runs.size() - 5) == " runs" &&
                  std::stoi(runs) >= 3)
          << name << ": " << runs;
      EXPECT_LT(std::stod(figures.value("other work (cores)", "1")), 0.25) << name;
      EXPECT_TRUE(figures.contains("measured_at")) << name;
      fs::path table = entry.path();
      table.replace_extension(".txt");
      std::ifstream text(table);
      std::string title;
      std::getline(text, title);
      EXPECT_NE(title.find(", the reference, measured on "), std::string::npos) << table;
      EXPECT_TRUE(fs::exists(folder / "ABOUT.txt")) << folder;
    }
  }
  EXPECT_GE(tables, 1) << "no chapter keeps a reference table";
}

}  // namespace
