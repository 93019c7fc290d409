#include "backoff.h"

// Past this many doublings every ceiling equals the cap anyway; stopping the
// count here keeps it from wrapping on a board that fails for years.
static const uint32_t kMaxCountedFailures = 32;

uint32_t scaleRandom(uint32_t random32, uint32_t maxInclusive) {
  return static_cast<uint32_t>((static_cast<uint64_t>(random32) * (static_cast<uint64_t>(maxInclusive) + 1)) >> 32);
}

Backoff::Backoff(uint32_t baseMs, uint32_t capMs, RandomSource random, void* randomContext)
    : baseMs_(baseMs == 0 ? 1 : baseMs),
      capMs_(capMs),
      random_(random),
      randomContext_(randomContext),
      failures_(0) {
  if (capMs_ < baseMs_) capMs_ = baseMs_;
}

uint32_t Backoff::ceilingMs(uint32_t failureIndex) const {
  if (failureIndex >= kMaxCountedFailures) return capMs_;
  const uint64_t grown = static_cast<uint64_t>(baseMs_) << failureIndex;
  return grown >= capMs_ ? capMs_ : static_cast<uint32_t>(grown);
}

uint32_t Backoff::nextDelayMs() {
  const uint32_t ceiling = ceilingMs(failures_);
  if (failures_ < kMaxCountedFailures) failures_++;
  if (random_ == nullptr) return ceiling;
  const uint32_t half = ceiling / 2;
  return ceiling - half + scaleRandom(random_(randomContext_), half);
}

void Backoff::reset() { failures_ = 0; }
