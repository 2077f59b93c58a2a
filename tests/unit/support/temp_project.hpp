#pragma once
// A fresh folder under the system temp folder for a unit test, with files written into it, removed
// when the test ends. Header-only: shared by the unit-test areas (each its own binary).

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace capguard::testing {

class TempProject {
 public:
  // `name` keeps folders of different tests apart; the object's address keeps two live objects
  // of the same test apart.
  explicit TempProject(const std::string& name) {
    namespace fs = std::filesystem;
    dir_ = (fs::temp_directory_path() /
            ("capguard-" + name + "-" + std::to_string(reinterpret_cast<uintptr_t>(this))))
               .string();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  ~TempProject() { std::filesystem::remove_all(dir_); }
  TempProject(const TempProject&) = delete;
  TempProject& operator=(const TempProject&) = delete;

  // Writes `text` to `rel` (folders created as needed); returns the file's path.
  std::string write(const std::string& rel, const std::string& text) const {
    std::filesystem::path p = std::filesystem::path(dir_) / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

}  // namespace capguard::testing
