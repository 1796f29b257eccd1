#include <drivers/fw_cfg.hpp>
#include <fs/initrd/cpio.hpp>
#include <fs/initrd/initrd.hpp>
#include <fs/tmpfs/tmpfs.hpp>
#include <kernel/cmdline.hpp>
#include <kernel/log.hpp>
#include <kernel/time.hpp>
#include <lib/string.hpp>
#include <mm/pmm.hpp>
#include <mm/vmm.hpp>

namespace initrd {
using namespace fs;

namespace {

// Skips "./" and "/" prefixes; "." and "" name the root itself.
StringView normalize(StringView name)
{
    const char* p = name.chars();
    size_t n = name.length();
    for (;;) {
        if (n >= 2 && p[0] == '.' && p[1] == '/') {
            p += 2;
            n -= 2;
        } else if (n >= 1 && p[0] == '/') {
            p++;
            n--;
        } else {
            break;
        }
    }
    while (n > 0 && p[n - 1] == '/')
        n--;
    if (n == 1 && p[0] == '.')
        n = 0;
    return StringView(p, n);
}

// Calls fn(component, is_last) for each component of a normalized path.
template <typename F> ErrorOr<void> for_each_component(StringView path, F fn)
{
    size_t i = 0;
    while (i < path.length()) {
        size_t j = i;
        while (j < path.length() && path[j] != '/')
            j++;
        if (j > i) {
            size_t k = j;
            while (k < path.length() && path[k] == '/')
                k++;
            TRY(fn(StringView(path.chars() + i, j - i), k >= path.length()));
            i = k;
        } else {
            i++;
        }
    }
    return {};
}

// First pass: names the VFS can hold (no "..", no "." inside, components
// within NAME_MAX), so nothing is created from an archive that would fail.
class NameChecker final : public cpio::Visitor {
public:
    ErrorOr<void> entry(const cpio::Entry& e) override
    {
        return for_each_component(normalize(e.name), [](StringView c, bool) -> ErrorOr<void> {
            if (c.length() > NAME_MAX || c == "." || c == "..")
                return Error::from_errno(EINVAL);
            return {};
        });
    }
};

Timespec at(u32 seconds) { return { static_cast<i64>(seconds), 0 }; }

class Unpacker final : public cpio::Visitor {
public:
    explicit Unpacker(Inode& root) : m_root(&root) {}
    UnpackStats stats {};

    ErrorOr<void> entry(const cpio::Entry& e) override
    {
        StringView path = normalize(e.name);
        if (path.empty()) {
            // "." describes the root directory itself.
            if ((e.mode & S_IFMT) == S_IFDIR)
                TRY(set_attributes(*m_root, e, true));
            return {};
        }
        RefPtr<Inode> dir = m_root;
        return for_each_component(path, [&](StringView name, bool last) -> ErrorOr<void> {
            if (!last) {
                dir = TRY(directory_in(*dir, name));
                return {};
            }
            return place(*dir, name, e);
        });
    }

    // Directory mtimes last: adding entries changed them (as Linux's
    // initramfs does with dir_utime).
    void finish()
    {
        for (auto& d : m_dir_times) {
            AttributeChange c;
            c.set_atime = c.set_mtime = true;
            c.atime = c.mtime = at(d.mtime);
            d.dir->change_attributes(c);
        }
        m_dir_times.clear();
    }

private:
    struct DirTime {
        RefPtr<Inode> dir;
        u32 mtime;
    };
    struct HardLink {
        u32 dev_major, dev_minor, ino;
        RefPtr<Inode> inode;
    };

    // The subdirectory `name` of dir, created (0755) when missing, and
    // replacing a non-directory.
    ErrorOr<RefPtr<Inode>> directory_in(Inode& dir, StringView name)
    {
        auto found = dir.lookup(name);
        if (!found.is_error() && found.value()->is_directory())
            return found.release_value();
        if (!found.is_error())
            TRY(static_cast<TmpfsDirectory&>(dir).remove_recursively(name));
        else if (found.error().code() != ENOENT)
            return found.release_error();
        RefPtr<Inode> made = TRY(dir.create(name, S_IFDIR | 0755, {}, 0, 0));
        stats.directories++;
        return made;
    }

    ErrorOr<void> set_attributes(Inode& inode, const cpio::Entry& e, bool is_dir)
    {
        AttributeChange c;
        c.set_mode = true;
        c.mode = e.mode & MODE_PERMS;
        c.set_uid = c.set_gid = true;
        c.uid = e.uid;
        c.gid = e.gid;
        c.set_atime = c.set_mtime = true;
        c.atime = c.mtime = at(e.mtime);
        inode.change_attributes(c);
        if (is_dir)
            TRY(m_dir_times.append(DirTime { RefPtr<Inode>(&inode), e.mtime }));
        return {};
    }

    ErrorOr<void> place(Inode& dir, StringView name, const cpio::Entry& e)
    {
        u32 type = e.mode & S_IFMT;
        auto existing = dir.lookup(name);
        if (!existing.is_error()) {
            if (type == S_IFDIR && existing.value()->is_directory())
                return set_attributes(*existing.value(), e, true);
            TRY(static_cast<TmpfsDirectory&>(dir).remove_recursively(name));
        } else if (existing.error().code() != ENOENT) {
            return existing.release_error();
        }
        RefPtr<Inode> inode;
        switch (type) {
        case S_IFDIR:
            inode = TRY(dir.create(name, S_IFDIR | (e.mode & MODE_PERMS), {}, e.uid, e.gid));
            stats.directories++;
            return set_attributes(*inode, e, true);
        case S_IFLNK:
            inode = TRY(dir.create_symlink(name, StringView(reinterpret_cast<const char*>(e.data), e.size), e.uid,
                                           e.gid));
            stats.symlinks++;
            break;
        case S_IFREG: {
            // newc hard links: entries sharing (dev, ino) with nlink > 1;
            // the data comes with one of them (usually the last).
            HardLink* first = e.nlink > 1 ? find_link(e) : nullptr;
            if (first) {
                TRY(dir.link(name, *first->inode));
                inode = first->inode;
            } else {
                inode = TRY(dir.create(name, S_IFREG | (e.mode & MODE_PERMS), {}, e.uid, e.gid));
                stats.files++;
                if (e.nlink > 1)
                    TRY(m_links.append(HardLink { e.dev_major, e.dev_minor, e.ino, inode }));
            }
            if (e.size || !first)
                static_cast<TmpfsFile&>(*inode).set_borrowed_data(e.data, e.size);
            stats.bytes += e.size;
            break;
        }
        default:
            inode = TRY(dir.create(name, e.mode, DeviceNumber { e.rdev_major, e.rdev_minor }, e.uid, e.gid));
            stats.nodes++;
            break;
        }
        return set_attributes(*inode, e, false);
    }

    HardLink* find_link(const cpio::Entry& e)
    {
        for (auto& l : m_links) {
            if (l.ino == e.ino && l.dev_major == e.dev_major && l.dev_minor == e.dev_minor)
                return &l;
        }
        return nullptr;
    }

    RefPtr<Inode> m_root;
    Vector<DirTime> m_dir_times;
    Vector<HardLink> m_links;
};

// The module the boot loader loaded with command line "initrd".
const BootModule* find_module(const BootInfo& boot)
{
    for (u32 i = 0; i < boot.module_count; i++) {
        const char* c = boot.modules[i].cmdline;
        if (strncmp(c, "initrd", 6) == 0 && (c[6] == 0 || c[6] == ' '))
            return &boot.modules[i];
    }
    return nullptr;
}

} // namespace

ErrorOr<UnpackStats> unpack(const u8* data, size_t size, Inode& root, const char* what)
{
    char why[96] = {};
    NameChecker checker;
    auto checked = cpio::parse(data, size, &checker, why, sizeof(why));
    if (checked.is_error()) {
        log_error("initrd: %s is not a valid cpio newc archive: %s", what, why[0] ? why : "bad file name");
        return checked.release_error();
    }
    Unpacker unpacker(root);
    auto done = cpio::parse(data, size, &unpacker, why, sizeof(why));
    unpacker.finish();
    if (done.is_error()) {
        log_error("initrd: %s: unpacking failed: %s", what, done.error().name());
        return done.release_error();
    }
    return unpacker.stats;
}

ErrorOr<const u8*> load_fw_cfg_file(const char* name, bool dma, u32& size, u64& ns)
{
    fw_cfg::FileInfo f;
    if (!fw_cfg::find_file(name, f) || f.size == 0)
        return static_cast<const u8*>(nullptr);
    size = f.size;
    u64 pages = (static_cast<u64>(f.size) + PAGE_SIZE - 1) / PAGE_SIZE;
    u64 started = time::since_boot_ns();
    // One physically contiguous run when there is one (a single DMA
    // request, reached through the direct map); else page by page, mapped
    // contiguously in the kernel's mapping window.
    auto run = pmm::alloc_pages(pages);
    u8* base;
    if (!run.is_error()) {
        base = phys_to_ptr<u8>(run.value());
        if (dma) {
            TRY(fw_cfg::dma_read(f.select, true, run.value(), f.size));
        } else {
            for (u64 done = 0; done < f.size;) {
                size_t chunk = min<u64>(64 * KiB, f.size - done);
                fw_cfg::port_read(f.select, done == 0, base + done, chunk);
                done += chunk;
            }
        }
    } else {
        VirtAddr window = TRY(vmm::reserve_kernel_range(pages * PAGE_SIZE, PAGE_SIZE));
        base = reinterpret_cast<u8*>(window);
        for (u64 i = 0; i < pages; i++) {
            PhysAddr page = TRY(pmm::alloc_page());
            TRY(vmm::map_page(vmm::kernel_space(), window + i * PAGE_SIZE, page, vmm::Write | vmm::Global));
            u32 chunk = static_cast<u32>(min<u64>(PAGE_SIZE, f.size - i * PAGE_SIZE));
            if (dma)
                TRY(fw_cfg::dma_read(f.select, i == 0, page, chunk));
            else
                fw_cfg::port_read(f.select, i == 0, base + i * PAGE_SIZE, chunk);
        }
    }
    ns = time::since_boot_ns() - started;
    return static_cast<const u8*>(base);
}

ErrorOr<RefPtr<Inode>> build_root(const BootInfo& boot, LoadReport& report)
{
    report = {};
    TmpfsOptions options;
    options.type_name = "rootfs";
    options.magic = RAMFS_MAGIC;
    options.root_mode = 0755;
    options.default_mode = 0755;
    RefPtr<Inode> root = TRY(TmpFs::create(options));

    auto add = [&](const u8* data, size_t size, const char* what) {
        auto stats = unpack(data, size, *root, what);
        if (stats.is_error())
            return; // logged; the other source may still give a root
        const UnpackStats& s = stats.value();
        log_info("initrd: %s: %u files, %u directories, %u symlinks, %lu KiB", what, s.files, s.directories,
                 s.symlinks, s.bytes / KiB);
        report.archives++;
        report.archive_bytes += size;
        report.totals.files += s.files;
        report.totals.directories += s.directories;
        report.totals.symlinks += s.symlinks;
        report.totals.nodes += s.nodes;
        report.totals.bytes += s.bytes;
    };

    u32 found = 0;
    if (const BootModule* m = find_module(boot)) {
        found++;
        add(phys_to_ptr<u8>(m->start), m->end - m->start, "Multiboot2 module \"initrd\"");
    }

    char mode[8];
    bool dma = fw_cfg::dma_available() && !(cmdline::get("fw_cfg", mode, sizeof(mode)) && strcmp(mode, "pio") == 0);
    u32 size = 0;
    u64 ns = 0;
    auto loaded = load_fw_cfg_file("opt/oskit/initrd", dma, size, ns);
    if (loaded.is_error()) {
        log_error("initrd: fw_cfg opt/oskit/initrd could not be read: %s", loaded.error().name());
    } else if (loaded.value()) {
        log_info("initrd: fw_cfg opt/oskit/initrd: %u KiB read %s in %lu ms", size / 1024,
                 dma ? "by DMA" : "byte-wise through the I/O port", ns / 1000000);
        report.fw_cfg_bytes = size;
        report.fw_cfg_ns = ns;
        report.fw_cfg_dma = dma;
        found++;
        add(loaded.value(), size, "fw_cfg opt/oskit/initrd");
    }

    if (found == 0)
        log_info("vfs: no initrd (no Multiboot2 module \"initrd\", no fw_cfg opt/oskit/initrd): / is an empty "
                 "read-only directory");
    else if (report.archives == 0)
        log_error("vfs: no usable initrd (see above): / is an empty read-only directory");

    // Mount points the kernel needs, whatever the archives held.
    struct MountPoint {
        const char* name;
        u32 mode;
    };
    const MountPoint mount_points[] = { { "dev", 0755 }, { "proc", 0555 }, { "tmp", 01777 } };
    for (const MountPoint& mp : mount_points) {
        auto found = root->lookup(StringView(mp.name));
        if (!found.is_error() && found.value()->is_directory())
            continue;
        if (!found.is_error())
            TRY(static_cast<TmpfsDirectory&>(*root).remove_recursively(StringView(mp.name)));
        TRY(root->create(StringView(mp.name), S_IFDIR | mp.mode, {}, 0, 0));
    }
    return root;
}

} // namespace initrd
