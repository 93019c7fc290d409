#include "mains_sense.h"

uint64_t MillisClock::now(uint32_t millisNow) {
  if (!started_) {
    started_ = true;
    last_ = millisNow;
    return 0;
  }
  // Unsigned subtraction is right across a wrap: 0x00000010 - 0xFFFFFFF0 = 0x20.
  elapsed_ += static_cast<uint32_t>(millisNow - last_);
  last_ = millisNow;
  return elapsed_;
}

bool MainsDebouncer::sample(bool rawMains, uint64_t nowMs) {
  if (!candidateSet_ || rawMains != candidate_) {
    // The raw level switched (or this is the first reading): start watching it.
    candidateSet_ = true;
    candidate_ = rawMains;
    candidateSince_ = nowMs;
  }
  if (known_ && candidate_ == mains_) return false;  // steady, or a glitch that came back
  if (nowMs < candidateSince_ || nowMs - candidateSince_ < stableMs_) return false;

  const bool firstSettle = !known_;
  known_ = true;
  mains_ = candidate_;
  changedAtMs_ = candidateSince_;
  changeTimeKnown_ = !firstSettle;
  return !firstSettle;
}

uint64_t MainsDebouncer::msSinceChange(uint64_t nowMs) const {
  return nowMs > changedAtMs_ ? nowMs - changedAtMs_ : 0;
}

void fillMainsFields(const MainsDebouncer& sense, uint64_t nowMs, HeartbeatFields* fields) {
  fields->hasMains = sense.known();
  fields->mains = sense.mains();
  fields->hasMainsChangedMsAgo = sense.known() && sense.changeTimeKnown();
  fields->mainsChangedMsAgo = fields->hasMainsChangedMsAgo ? sense.msSinceChange(nowMs) : 0;
}
