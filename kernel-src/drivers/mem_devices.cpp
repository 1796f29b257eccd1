#include <drivers/mem_devices.hpp>
#include <fs/char_device.hpp>
#include <kernel/crng.hpp>
#include <kernel/log.hpp>
#include <lib/string.hpp>

namespace mem_devices {
namespace {
using fs::FileOps;
using fs::OpenFile;

// Reads of zeros in chunks, for /dev/zero and /dev/full.
ErrorOr<size_t> read_zeros(const IoBuffer& buf)
{
    size_t n = min<size_t>(buf.size(), fs::MAX_RW_COUNT);
    auto r = buf.zero(0, n);
    if (r.is_error())
        return r.release_error();
    return n;
}

// null_lseek in drivers/char/mem.c: every seek lands at 0.
class SeekToZero : public FileOps {
public:
    ErrorOr<u64> seek(OpenFile&, i64, int, u64) override { return 0; }
};

class Null final : public SeekToZero {
public:
    ErrorOr<size_t> read(OpenFile&, const IoBuffer&, u64) override { return 0; }
    ErrorOr<size_t> write(OpenFile&, const IoBuffer& buf, u64&) override { return buf.size(); }
};

class Zero final : public SeekToZero {
public:
    ErrorOr<size_t> read(OpenFile&, const IoBuffer& buf, u64) override { return read_zeros(buf); }
    ErrorOr<size_t> write(OpenFile&, const IoBuffer& buf, u64&) override { return buf.size(); }
};

class Full final : public SeekToZero {
public:
    ErrorOr<size_t> read(OpenFile&, const IoBuffer& buf, u64) override { return read_zeros(buf); }
    ErrorOr<size_t> write(OpenFile&, const IoBuffer& buf, u64&) override
    {
        if (buf.size() == 0)
            return 0;
        return Error::from_errno(ENOSPC);
    }
};

// /dev/random and /dev/urandom: the same generator (Linux >= 5.6 blocks
// only until the generator is seeded, which here happens at boot).
class Random final : public FileOps {
public:
    ErrorOr<size_t> read(OpenFile&, const IoBuffer& buf, u64) override
    {
        size_t total = min<size_t>(buf.size(), fs::MAX_RW_COUNT);
        size_t done = 0;
        u8 chunk[256];
        while (done < total) {
            size_t n = min(sizeof(chunk), total - done);
            crng::fill(chunk, n);
            auto r = buf.write(done, chunk, n);
            if (r.is_error()) {
                memset(chunk, 0, sizeof(chunk));
                if (done)
                    break;
                return r.release_error();
            }
            done += n;
        }
        memset(chunk, 0, sizeof(chunk));
        return done;
    }
    ErrorOr<size_t> write(OpenFile&, const IoBuffer& buf, u64&) override
    {
        // Written bytes are mixed in without entropy credit, as on Linux.
        u8 chunk[256];
        size_t done = 0;
        while (done < buf.size()) {
            size_t n = min(sizeof(chunk), buf.size() - done);
            auto r = buf.read(done, chunk, n);
            if (r.is_error()) {
                if (done)
                    break;
                return r.release_error();
            }
            crng::mix(chunk, n);
            done += n;
        }
        return done;
    }
    ErrorOr<u64> seek(OpenFile&, i64, int, u64 current) override { return current; } // noop_llseek
    ErrorOr<i64> ioctl(OpenFile&, u32 request, u64 arg) override
    {
        // RNDGETENTCNT: the pool counts as full once seeded.
        constexpr u32 RNDGETENTCNT = 0x80045200;
        if (request == RNDGETENTCNT) {
            TRY(put_user<i32>(arg, 256));
            return 0;
        }
        return Error::from_errno(EINVAL);
    }
};

Null s_null;
Zero s_zero;
Full s_full;
Random s_random;

} // namespace

void init()
{
    struct Device {
        fs::DeviceNumber number;
        const char* name;
        FileOps& ops;
    };
    const Device devices[] = {
        { { 1, 3 }, "null", s_null },       { { 1, 5 }, "zero", s_zero },       { { 1, 7 }, "full", s_full },
        { { 1, 8 }, "random", s_random },   { { 1, 9 }, "urandom", s_random },
    };
    for (const Device& d : devices) {
        auto r = fs::register_char_device(d.number, d.name, d.ops, 0666);
        if (r.is_error())
            log_error("devices: /dev/%s (%u:%u) not registered: %s", d.name, d.number.major, d.number.minor,
                      r.error().name());
    }
}

} // namespace mem_devices
