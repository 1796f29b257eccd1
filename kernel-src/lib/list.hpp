#pragma once
// Intrusive doubly linked list (as Zircon's fbl and Linux's list_head): an
// object carries a ListNode per list it can be on, so adding and removing
// never allocates. Run queues, wait queues and child lists use it.
//
//   struct Thread { ListNode run_node; ... };
//   IntrusiveList<Thread, &Thread::run_node> run_queue;
//
// Not synchronised: the owner of the list holds its lock.
#include <lib/types.hpp>

struct ListNode {
    ListNode* prev = nullptr;
    ListNode* next = nullptr;
    bool linked() const { return next != nullptr; }
};

template <typename T, ListNode T::*Node> class IntrusiveList {
public:
    // constexpr so that lists in static objects (run queues) are ready
    // before global constructors run.
    constexpr IntrusiveList() : m_head { &m_head, &m_head } {}
    IntrusiveList(const IntrusiveList&) = delete;
    IntrusiveList& operator=(const IntrusiveList&) = delete;

    bool empty() const { return m_head.next == &m_head; }
    size_t size() const { return m_size; }

    void push_back(T& item) { insert_before(&m_head, item); }
    void push_front(T& item) { insert_before(m_head.next, item); }
    // Inserts item before `before` (which must be on this list).
    void insert_before(T& before, T& item) { insert_before(&(before.*Node), item); }

    T* front() const { return empty() ? nullptr : owner(m_head.next); }
    T* back() const { return empty() ? nullptr : owner(m_head.prev); }
    T* prev(const T& item) const
    {
        ListNode* n = (item.*Node).prev;
        return n == &m_head ? nullptr : owner(n);
    }
    T* next(const T& item) const
    {
        ListNode* n = (item.*Node).next;
        return n == &m_head ? nullptr : owner(n);
    }

    T* pop_front()
    {
        T* item = front();
        if (item)
            remove(*item);
        return item;
    }

    void remove(T& item)
    {
        ListNode& n = item.*Node;
        n.prev->next = n.next;
        n.next->prev = n.prev;
        n.prev = n.next = nullptr;
        m_size--;
    }

    bool contains(const T& item) const
    {
        for (const ListNode* n = m_head.next; n != &m_head; n = n->next)
            if (n == &(item.*Node))
                return true;
        return false;
    }

    class Iterator {
    public:
        Iterator(ListNode* n, const ListNode* head) : m_node(n), m_head(head) {}
        T& operator*() const { return *owner(m_node); }
        T* operator->() const { return owner(m_node); }
        // Safe against removing the current item: the next node is read first.
        Iterator& operator++()
        {
            m_node = m_node->next;
            return *this;
        }
        bool operator!=(const Iterator& o) const { return m_node != o.m_node; }

    private:
        ListNode* m_node;
        const ListNode* m_head;
    };
    Iterator begin() { return Iterator(m_head.next, &m_head); }
    Iterator end() { return Iterator(&m_head, &m_head); }

    // Calls fn(item) for each item; fn may remove the item it is given.
    template <typename F> void for_each_safe(F fn)
    {
        for (ListNode* n = m_head.next; n != &m_head;) {
            ListNode* next = n->next;
            fn(*owner(n));
            n = next;
        }
    }

private:
    static T* owner(const ListNode* n)
    {
        // offsetof for a member pointer: the node's distance from the object start.
        const T* probe = nullptr;
        auto offset = reinterpret_cast<uptr>(&(probe->*Node));
        return reinterpret_cast<T*>(reinterpret_cast<uptr>(n) - offset);
    }

    void insert_before(ListNode* before, T& item)
    {
        ListNode& n = item.*Node;
        n.next = before;
        n.prev = before->prev;
        before->prev->next = &n;
        before->prev = &n;
        m_size++;
    }

    ListNode m_head;
    size_t m_size = 0;
};
