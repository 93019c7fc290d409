// Runs every TEST registered by the *_test.cpp files; optional arguments run
// only the tests whose names contain one of them.
// The last line is always "N passed, M failed"; the exit code is 1 on any failure.
#include "test_runner.h"

namespace testing {

static bool currentFailed = false;

TestCase*& registry() {
  static TestCase* head = nullptr;
  return head;
}

void recordFailure(const char* file, int line, const std::string& message) {
  currentFailed = true;
  fprintf(stdout, "    %s:%d: %s\n", file, line, message.c_str());
}

}  // namespace testing

static bool selected(const char* name, int argc, char** argv) {
  if (argc <= 1) return true;
  for (int i = 1; i < argc; i++) {
    if (strstr(name, argv[i]) != nullptr) return true;
  }
  return false;
}

int main(int argc, char** argv) {
  int passed = 0;
  int failed = 0;
  for (testing::TestCase* test = testing::registry(); test != nullptr; test = test->next) {
    if (!selected(test->name, argc, argv)) continue;
    testing::currentFailed = false;
    test->run();
    if (testing::currentFailed) {
      failed++;
      fprintf(stdout, "FAIL %s\n", test->name);
    } else {
      passed++;
      fprintf(stdout, "ok   %s\n", test->name);
    }
  }
  fprintf(stdout, "%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
