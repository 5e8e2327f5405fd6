#pragma once
// What every store operation returns: its value, or an Error with a code the caller acts on and
// a message a person can read. One shape for reads and writes, for SQLite and PostgreSQL alike.

#include <cassert>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace ttb::store {

struct Error {
  enum class Code {
    unavailable,  // the database failed or is busy (I/O, disk full, lock timeout): nothing was
                  // applied; try again later (a route answers 503, a job retries)
    conflict,     // the row exists but its version or state forbids the operation
    not_found,    // no such row
    invalid,      // the request breaks a rule of the schema (e.g. a job for a missing order)
    closed,       // the store was closed: nothing was applied
    fenced,       // a claimed job's move came after another claim took the job over (its attempt
                  // moved on, job_transition.h): nothing was applied; the job is no longer the
                  // caller's, so it drops it
  };
  Code code = Code::unavailable;
  std::string message;  // says what failed and where
};

const char* to_string(Error::Code code);

// Either a T or an Error, like C++23's std::expected. Test it (`if (result)`) before reading the
// value; reading the value of an error (or the error of a value) is a programmer error.
template <class T>
class [[nodiscard]] Result {
 public:
  // Implicit, like std::expected: `return value;` and `return Error{...};` both read naturally.
  // The requires-clause keeps Result and Error out, so copies and moves are not hidden.
  template <class U = T>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::remove_cvref_t<U>, Result> &&
           !std::is_same_v<std::remove_cvref_t<U>, Error>)
      // NOLINTNEXTLINE(bugprone-forwarding-reference-overload): clang-tidy 14 ignores requires
      Result(U&& value)
      : state_(std::in_place_index<0>, std::forward<U>(value)) {}
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  // From a temporary Result the value is moved out, not referenced, so that
  // `for (auto& x : *store.list_jobs(f))` does not iterate over a destroyed Result.
  T value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(state_);
  }
  // True when this is an error with `code`.
  bool failed_with(Error::Code code) const { return !ok() && error().code == code; }

  // A value equal to `v` (an error equals no value), as with std::expected.
  template <class U>
  friend bool operator==(const Result& r, const U& v) {
    return r.ok() && r.value() == v;
  }

 private:
  std::variant<T, Error> state_;
};

// The result of a write that has no value: done, or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const {
    assert(!ok());
    return error_;
  }
  bool failed_with(Error::Code code) const { return failed_ && error_.code == code; }

 private:
  Error error_;
  bool failed_ = false;
};

}  // namespace ttb::store
