// What chapter 4's full program adds to a worker to try the parent: faults on
// request and notes of any length.
#include "faults.hpp"

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <vector>

namespace ch04 {

char chatter_byte(unsigned worker, std::uint64_t k) {
  return static_cast<char>('a' + (k + worker) % 26);
}

void send_chatter(Sender& sender, unsigned worker, std::uint64_t bytes) {
  std::vector<char> note;
  for (std::uint64_t sent = 0; sent < bytes;) {
    const auto length =
        static_cast<std::uint32_t>(std::min<std::uint64_t>(bytes - sent, kMaxPayload));
    note.resize(length);
    for (std::uint32_t k = 0; k < length; ++k) note[k] = chatter_byte(worker, sent + k);
    sender.send(RecordType::note, note.data(), length);
    sent += length;
  }
}

void strike(FaultKind kind, Sender& sender) {
  switch (kind) {
    case FaultKind::kill:
      raise(SIGKILL);
      break;
    case FaultKind::early:
      _exit(0);  // a clean exit, and no result
    case FaultKind::garbage:
      // then carry on
      sender.write_raw("this is not a record!!!\n", sizeof(RecordHeader));
      return;
    case FaultKind::hang:
      for (;;) pause();  // until the parent kills us
    case FaultKind::none:
      return;
  }
}

}  // namespace ch04
