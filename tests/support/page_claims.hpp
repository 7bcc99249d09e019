/// \file
/// \brief A page's statements about committed data, read from the page itself, so
/// that a test checks the numbers the reader reads, not a copy of them.
///
/// A page writes `\claim{ID::TEXT}` around a statement (docs/figures.py shows
/// TEXT); a test calls page_claim(folder, ID), takes the numbers out of TEXT with
/// numbers_in() and checks them against the data. The site's check
/// (tests/docs/check_site.py) fails on a claim that no test reads this way.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace ptut::testing {

/// The TEXT of `\claim{id::TEXT}` on chapters/<chapter_folder>/page.md; a
/// failure of the calling test, and "", when the page does not hold it.
inline std::string page_claim(std::string_view chapter_folder, std::string_view id) {
  const std::string path = std::string(PTUT_SOURCE_DIR) + "/chapters/" +
                           std::string(chapter_folder) + "/page.md";
  std::ifstream file(path);
  std::stringstream page;
  page << file.rdbuf();
  const std::string text = page.str();
  const std::string opening = "\\claim{" + std::string(id) + "::";
  const std::size_t start = text.find(opening);
  const std::size_t end = start == std::string::npos ? start : text.find('}', start);
  if (end == std::string::npos) {
    ADD_FAILURE() << path << " has no \\claim{" << id << "::…}";
    return "";
  }
  std::string said = text.substr(start + opening.size(), end - start - opening.size());
  return std::regex_replace(said, std::regex(R"(\s+)"), " ");  // a claim may span lines
}

/// The numbers in a claim, in order: "between 1.7× and 2×" gives {1.7, 2};
/// "10^8" gives {1e8} and "2·10^6" {2e6}; thousands separators are read ("1,415
/// ms" gives {1415}).
inline std::vector<double> numbers_in(const std::string& text) {
  std::vector<double> numbers;
  const std::regex number(R"(10\^(\d+)|(\d[\d,]*(?:\.\d+)?)(?:·10\^(\d+))?)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), number);
       it != std::sregex_iterator(); ++it) {
    const std::smatch& match = *it;
    if (match[1].matched) {
      numbers.push_back(std::pow(10.0, std::stod(match[1])));
      continue;
    }
    std::string digits = match[2];
    digits.erase(std::remove(digits.begin(), digits.end(), ','), digits.end());
    double value = std::stod(digits);
    if (match[3].matched) value *= std::pow(10.0, std::stod(match[3]));
    numbers.push_back(value);
  }
  return numbers;
}

}  // namespace ptut::testing
