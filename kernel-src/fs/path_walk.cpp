// Path lookup: components, ".", "..", mount crossings and symlinks.
//
// The walk keeps the rest of the path in a PATH_MAX buffer. A symlink met
// on the way is replaced by its target: the buffer becomes target + "/" +
// rest, and the walk restarts from the root (absolute target) or from the
// symlink's directory. Each replacement counts towards MAX_SYMLINKS.
#include <fs/vfs.hpp>
#include <lib/string.hpp>
#include <mm/heap.hpp>

namespace fs {
namespace {

// A heap buffer of PATH_MAX bytes (too big for kernel stacks).
class PathBuffer {
public:
    PathBuffer() : m_data(static_cast<char*>(heap::alloc(PATH_MAX))) {}
    ~PathBuffer() { heap::free(m_data); }
    PathBuffer(const PathBuffer&) = delete;
    PathBuffer& operator=(const PathBuffer&) = delete;
    char* data() { return m_data; }
    explicit operator bool() const { return m_data != nullptr; }

private:
    char* m_data;
};

struct Walk {
    Location root;
    Location cur;
    u32 links = 0;
    PathBuffer path;  // the rest of the path being walked
    PathBuffer spare; // room to build a symlink expansion
};

bool is_dot(StringView c) { return c.length() == 1 && c[0] == '.'; }
bool is_dotdot(StringView c) { return c.length() == 2 && c[0] == '.' && c[1] == '.'; }

// Replaces the walk's path with `target` + "/" + `rest` (rest points into
// walk.path) and moves to where the target starts.
ErrorOr<void> expand_symlink(Walk& walk, Inode& link, const Location& link_dir, const char* rest, bool keep_slash)
{
    if (++walk.links > MAX_SYMLINKS)
        return Error::from_errno(ELOOP);
    char* out = walk.spare.data();
    size_t n = TRY(link.readlink(out, PATH_MAX - 1));
    if (n == 0)
        return Error::from_errno(ENOENT);
    size_t rest_len = strlen(rest);
    bool slash = rest_len > 0 || keep_slash;
    if (n + (slash ? 1 : 0) + rest_len >= PATH_MAX)
        return Error::from_errno(ENAMETOOLONG);
    if (slash)
        out[n++] = '/';
    memcpy(out + n, rest, rest_len);
    out[n + rest_len] = 0;
    memcpy(walk.path.data(), out, n + rest_len + 1);
    walk.cur = out[0] == '/' ? walk.root : link_dir;
    return {};
}

ErrorOr<Location> lookup_child(const Location& dir, StringView name)
{
    RefPtr<Inode> child = TRY(dir.inode->lookup(name));
    return cross_mounts({ dir.mount, move(child) });
}

enum class Goal { Object, Parent };

// Walks walk.path. For Goal::Object, walk.cur ends at the object; for
// Goal::Parent it ends at the last component's directory and `last` is
// filled.
ErrorOr<void> run(Walk& walk, Goal goal, u32 flags, ParentAndName* last)
{
    char* p = walk.path.data();
    if (*p == 0)
        return Error::from_errno(ENOENT);
    if (*p == '/')
        walk.cur = walk.root;
    for (;;) {
        while (*p == '/')
            p++;
        if (*p == 0) {
            // Only slashes were left: the path named walk.cur itself ("/",
            // or a symlink to a directory with a trailing slash).
            if (goal == Goal::Parent) {
                last->kind = LastComponent::Root;
                last->length = 0;
                last->name[0] = 0;
            }
            break;
        }
        char* end = p;
        while (*end && *end != '/')
            end++;
        StringView component(p, static_cast<size_t>(end - p));
        if (component.length() > NAME_MAX)
            return Error::from_errno(ENAMETOOLONG);
        char* rest = end;
        while (*rest == '/')
            rest++;
        bool is_last = *rest == 0;
        bool trailing_slash = is_last && rest != end;
        if (!walk.cur.inode->is_directory())
            return Error::from_errno(ENOTDIR);

        if (is_last && goal == Goal::Parent) {
            component.copy_to(last->name, sizeof(last->name));
            last->length = component.length();
            last->trailing_slash = trailing_slash;
            last->kind = is_dot(component) ? LastComponent::Dot
                         : is_dotdot(component) ? LastComponent::DotDot
                                                : LastComponent::Normal;
            break;
        }
        if (is_dot(component)) {
            p = rest;
            continue;
        }
        if (is_dotdot(component)) {
            walk.cur = TRY(parent_of(walk.cur, walk.root));
            p = rest;
            continue;
        }
        Location child = TRY(lookup_child(walk.cur, component));
        bool follow = !is_last || trailing_slash || (flags & FOLLOW_FINAL);
        if (child.inode->is_symlink() && follow) {
            Location dir = walk.cur;
            TRY(expand_symlink(walk, *child.inode, dir, rest, trailing_slash));
            p = walk.path.data();
            if (*p == '/')
                walk.cur = walk.root;
            continue;
        }
        walk.cur = move(child);
        if (trailing_slash && !walk.cur.inode->is_directory())
            return Error::from_errno(ENOTDIR);
        p = rest;
    }
    if (goal == Goal::Parent && !walk.cur.inode->is_directory())
        return Error::from_errno(ENOTDIR);
    if (goal == Goal::Object && (flags & MUST_BE_DIRECTORY) && !walk.cur.inode->is_directory())
        return Error::from_errno(ENOTDIR);
    return {};
}

ErrorOr<void> begin(Walk& walk, const PathStart& start, const char* path, u32* links)
{
    if (!walk.path || !walk.spare)
        return Error::from_errno(ENOMEM);
    if (!start.root || !start.base)
        return Error::from_errno(ENOENT);
    size_t len = strlen(path);
    if (len >= PATH_MAX)
        return Error::from_errno(ENAMETOOLONG);
    memcpy(walk.path.data(), path, len + 1);
    walk.root = start.root;
    walk.cur = start.base;
    walk.links = links ? *links : 0;
    return {};
}

} // namespace

ErrorOr<Location> parent_of(const Location& loc, const Location& root)
{
    Location cur = loc;
    for (;;) {
        if (cur.same_as(root))
            return cur; // "/.." is "/" (and a chroot cannot be left)
        if (!cur.mount->is_root_of(*cur.inode)) {
            cur.inode = TRY(cur.inode->parent());
            break;
        }
        if (!cur.mount->parent())
            return cur;
        // At a mount's root: continue from the directory it covers.
        Location below { cur.mount->parent(), cur.mount->mountpoint() };
        cur = move(below);
    }
    return cross_mounts(move(cur));
}

ErrorOr<Location> resolve(const PathStart& start, const char* path, u32 flags, u32* links)
{
    Walk walk;
    TRY(begin(walk, start, path, links));
    TRY(run(walk, Goal::Object, flags, nullptr));
    if (links)
        *links = walk.links;
    return move(walk.cur);
}

ErrorOr<ParentAndName> resolve_parent(const PathStart& start, const char* path, u32* links)
{
    Walk walk;
    TRY(begin(walk, start, path, links));
    ParentAndName result;
    TRY(run(walk, Goal::Parent, 0, &result));
    if (links)
        *links = walk.links;
    result.parent = move(walk.cur);
    return result;
}

ErrorOr<void> path_of(const Location& loc, const Location& root, TextBuffer& out)
{
    // Names are collected leaf first, then written out in reverse.
    PathBuffer buf;
    if (!buf)
        return Error::from_errno(ENOMEM);
    char* end = buf.data() + PATH_MAX - 1;
    char* start = end;
    *end = 0;
    Location cur = loc;
    char name[NAME_MAX + 1];
    while (!cur.same_as(root)) {
        if (cur.mount->is_root_of(*cur.inode)) {
            if (!cur.mount->parent())
                break;
            Location below { cur.mount->parent(), cur.mount->mountpoint() };
            cur = move(below);
            continue;
        }
        RefPtr<Inode> parent = TRY(cur.inode->parent());
        size_t len = TRY(parent->name_of(cur.inode->ino(), name, sizeof(name)));
        if (static_cast<size_t>(start - buf.data()) < len + 1)
            return Error::from_errno(ENAMETOOLONG);
        start -= len;
        memcpy(start, name, len);
        *--start = '/';
        cur.inode = move(parent);
    }
    out.clear();
    out.append(start == end ? "/" : start);
    return out.status();
}

} // namespace fs
