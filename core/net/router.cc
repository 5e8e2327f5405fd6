#include "net/router.h"

#include <cassert>

namespace ttb::net {
namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.emplace_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool is_param(const std::string& s) {
  return s.size() > 2 && s.front() == '{' && s.back() == '}';
}
bool is_rest(const std::string& s) {
  return is_param(s) && s.ends_with("...}");
}
std::string param_name(const std::string& s) {
  std::string name = s.substr(1, s.size() - 2);
  if (name.ends_with("...")) name.resize(name.size() - 3);
  return name;
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler) {
  std::vector<std::string> segments = split_path(pattern);
  add_route(Route{std::move(method), std::move(pattern), std::move(segments), std::move(handler),
                  AsyncHandler{}});
}

void Router::add_async(std::string method, std::string pattern, AsyncHandler handler) {
  std::vector<std::string> segments = split_path(pattern);
  add_route(Route{std::move(method), std::move(pattern), std::move(segments), Handler{},
                  std::move(handler)});
}

void Router::add_route(Route route) {
  for (std::size_t i = 0; i < route.segments.size(); ++i) {
    assert(!is_rest(route.segments[i]) || i + 1 == route.segments.size());
  }
  routes_.push_back(std::move(route));
}

Router::Match Router::match(Request& request) const {
  const std::vector<std::string> parts = split_path(request.path);
  Match result;
  for (const Route& route : routes_) {
    std::map<std::string, std::string> params;
    bool ok = true;
    std::size_t i = 0;
    for (; i < route.segments.size(); ++i) {
      const std::string& seg = route.segments[i];
      if (is_rest(seg)) {
        std::string rest;
        for (std::size_t k = i; k < parts.size(); ++k) {
          if (!rest.empty()) rest.push_back('/');
          rest += parts[k];
        }
        params[param_name(seg)] = rest;
        i = parts.size();
        break;
      }
      if (i >= parts.size()) {
        ok = false;
        break;
      }
      if (is_param(seg)) {
        if (parts[i].empty()) {
          ok = false;
          break;
        }
        params[param_name(seg)] = parts[i];
      } else if (seg != parts[i]) {
        ok = false;
        break;
      }
    }
    if (!ok || i != parts.size()) continue;
    if (route.method != request.method) {
      result.method_mismatch = true;
      continue;
    }
    request.params = std::move(params);
    if (route.async_handler) {
      result.async_handler = &route.async_handler;
    } else {
      result.handler = &route.handler;
    }
    result.route = route.pattern;
    result.method_mismatch = false;
    return result;
  }
  return result;
}

}  // namespace ttb::net
