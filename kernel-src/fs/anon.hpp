#pragma once
// Inodes with no name, for files that exist only as open file descriptions
// (pipes, sockets, eventfds): fstat shows their type and a unique inode
// number, and they live on an internal file system ("pipefs") that is not in
// the mount table. The pipe implementation makes one per pipe:
//
//   Location loc = TRY(fs::make_anonymous_inode(S_IFIFO | 0600));
//   auto reader = TRY(fs::OpenFile::create(loc, O_RDONLY, s_pipe_read_ops, pipe));
//   auto writer = TRY(fs::OpenFile::create(loc, O_WRONLY, s_pipe_write_ops, pipe));
#include <fs/mount.hpp>

namespace fs {
// `mode` carries the type (S_IFIFO, S_IFSOCK, S_IFREG, ...) and permissions.
ErrorOr<Location> make_anonymous_inode(u32 mode);
} // namespace fs
