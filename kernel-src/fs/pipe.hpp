#pragma once
// Pipes: a 64 KiB ring (Linux's default capacity) between a read end and a
// write end. Readers sleep while it is empty and writers remain; writers
// sleep while it is full and readers remain; writing with no reader left
// raises SIGPIPE and fails with EPIPE; reading with no writer left is end of
// file. Writes of up to PIPE_BUF (4096) bytes are atomic. A named FIFO is
// the same pipe, shared by every open of its inode.
#include <fs/open_file.hpp>

namespace fs {
constexpr u64 PIPE_BUF = 4096;
constexpr u64 PIPE_CAPACITY = 64 * 1024;

struct PipeEnds {
    RefPtr<OpenFile> read;
    RefPtr<OpenFile> write;
};
// `flags`: O_NONBLOCK for both ends (O_CLOEXEC is the descriptors').
ErrorOr<PipeEnds> create_pipe(u32 flags);

// The operations of named FIFOs (an inode of type S_IFIFO): fifo(7).
class FileOps;
FileOps& fifo_file_ops();
} // namespace fs
