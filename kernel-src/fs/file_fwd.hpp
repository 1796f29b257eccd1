#pragma once
// Forward declaration of the open-file object (fs/vfs.hpp) for headers that
// only hold references to it.
class OpenFile;
