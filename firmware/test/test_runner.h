// A tiny assert-based test runner for the firmware's host tests.
//
//   TEST(backoff_grows) { CHECK_EQ(b.nextDelayMs(), 2000u); }
//
// A failed CHECK reports file:line and the values, marks the test failed and
// carries on with the next check, so one run shows every broken expectation.
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <string>
#include <type_traits>

namespace testing {

struct TestCase {
  const char* name;
  void (*run)();
  TestCase* next;
};

TestCase*& registry();
void recordFailure(const char* file, int line, const std::string& message);

struct Register {
  Register(TestCase* test) {
    test->next = nullptr;
    TestCase** tail = &registry();
    while (*tail != nullptr) tail = &(*tail)->next;
    *tail = test;
  }
};

inline std::string show(const char* s) { return s == nullptr ? "(null)" : "\"" + std::string(s) + "\""; }
inline std::string show(const std::string& s) { return "\"" + s + "\""; }
inline std::string show(bool v) { return v ? "true" : "false"; }
inline std::string show(char c) { return std::string("'") + c + "'"; }
template <typename T>
std::string show(const T& v) {
  if constexpr (std::is_enum<T>::value) {
    return "enum " + std::to_string(static_cast<long long>(v));
  } else {
    return std::to_string(v);
  }
}

inline bool equal(const char* a, const char* b) {
  if (a == nullptr || b == nullptr) return a == b;
  return strcmp(a, b) == 0;
}
inline bool equal(const std::string& a, const char* b) { return b != nullptr && a == b; }
template <typename A, typename B>
bool equal(const A& a, const B& b) {
  return a == b;
}

}  // namespace testing

#define TEST_CONCAT_INNER(a, b) a##b
#define TEST_CONCAT(a, b) TEST_CONCAT_INNER(a, b)

#define TEST(name)                                                                     \
  static void test_##name();                                                           \
  static testing::TestCase TEST_CONCAT(test_case_, name) = {#name, &test_##name, nullptr}; \
  static testing::Register TEST_CONCAT(test_register_, name)(&TEST_CONCAT(test_case_, name)); \
  static void test_##name()

#define CHECK(condition)                                                       \
  do {                                                                         \
    if (!(condition)) testing::recordFailure(__FILE__, __LINE__, "CHECK(" #condition ")"); \
  } while (0)

#define CHECK_EQ(actual, expected)                                                          \
  do {                                                                                      \
    const auto& check_actual_ = (actual);                                                   \
    const auto& check_expected_ = (expected);                                               \
    if (!testing::equal(check_actual_, check_expected_)) {                                  \
      testing::recordFailure(__FILE__, __LINE__,                                            \
                             "CHECK_EQ(" #actual ", " #expected "): got " +                 \
                                 testing::show(check_actual_) + ", want " + testing::show(check_expected_)); \
    }                                                                                       \
  } while (0)

#define CHECK_BETWEEN(value, low, high)                                                      \
  do {                                                                                       \
    const auto check_value_ = (value);                                                       \
    if (check_value_ < (low) || check_value_ > (high)) {                                     \
      testing::recordFailure(__FILE__, __LINE__,                                             \
                             "CHECK_BETWEEN(" #value "): " + testing::show(check_value_) +   \
                                 " not in [" + testing::show(low) + ", " + testing::show(high) + "]"); \
    }                                                                                        \
  } while (0)
