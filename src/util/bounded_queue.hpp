// A blocking FIFO for handing work between threads. close() wakes every waiter: pop() then
// drains what is left and returns nullopt.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace exhibit::util {

template <typename T>
class BoundedQueue {
 public:
  void push(T item) {
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_items.push_back(std::move(item));
    }
    m_cv.notify_one();
  }

  std::optional<T> pop() {
    std::unique_lock<std::mutex> lock(m_mutex);
    m_cv.wait(lock, [&] { return !m_items.empty() || m_closed; });
    if (m_items.empty()) return std::nullopt;
    T item = std::move(m_items.front());
    m_items.pop_front();
    return item;
  }

  void close() {
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_closed = true;
    }
    m_cv.notify_all();
  }

 private:
  std::mutex m_mutex;
  std::condition_variable m_cv;
  std::deque<T> m_items;
  bool m_closed = false;
};

}  // namespace exhibit::util
