// The request metrics keep a fixed label set whatever callers send: the route label is a route
// template or "unmatched", the method label one of GET, POST, PUT, DELETE or "other". Random
// methods and paths must not create new series (each series costs the scraper memory forever).
#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "loopback.h"
#include "net/http_server.h"
#include "ops/metrics.h"

namespace ttb::net {
namespace {

using testing::eventually;
using testing::LoopbackServer;
using testing::RawConnection;

std::set<std::string> label_values(const std::string& exposition, const std::string& metric,
                                   const std::string& label) {
  std::set<std::string> values;
  const std::regex pattern(metric + R"(\{[^}]*)" + label + R"(="([^"]*)\")");
  for (auto it = std::sregex_iterator(exposition.begin(), exposition.end(), pattern);
       it != std::sregex_iterator(); ++it) {
    values.insert((*it)[1]);
  }
  return values;
}

TEST(RequestMetricsLabels, RandomMethodsAndPathsCreateNoNewSeries) {
  ops::Metrics metrics;
  std::mutex mutex;
  int observed = 0;
  RequestObserver observer = [&](const Request& request, const std::string& route, int status,
                                 std::chrono::microseconds elapsed) {
    metrics.observe_request(route, request.method, status,
                            std::chrono::duration<double>(elapsed).count());
    std::lock_guard lock(mutex);
    ++observed;
  };
  auto router = std::make_shared<Router>();
  router->add("GET", "/items/{id}", [](Request&) { return Response::text(200, "item"); });
  router->add("POST", "/in", [](Request&) { return Response::text(200, "in"); });
  LoopbackServer server(router, {}, observer);

  int sent = 0;
  RawConnection conn(server.port());
  const std::vector<std::string> methods = {"GET",    "POST",  "PUT",      "DELETE", "PATCH",
                                            "BREW",   "get",   "M-SEARCH", "TRACE",  "OPTIONS",
                                            "QWERTY", "Post1", "HEAD"};
  for (const std::string& method : methods) {
    for (int i = 0; i < 4; ++i) {
      const std::string n = std::to_string(i);
      std::string random_path = "/random-";
      random_path += method;
      random_path += '-';
      random_path += n;
      const std::string item = std::string("/items/") + n;
      const std::vector<std::string> paths = {item, random_path, "/in", item + "/deeper",
                                              std::string("/%7e") + n};
      for (const std::string& path : paths) {
        std::string bytes = method;
        bytes += ' ';
        bytes += path;
        bytes += " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
        conn.send(bytes);
        // HEAD answers carry no body: the raw reader would wait for one, so skip reading it.
        if (method == "HEAD") {
          conn = RawConnection(server.port());
        } else {
          ASSERT_NE(conn.read_response().status, 0) << method << " " << path;
        }
        ++sent;
      }
    }
  }
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(mutex);
    return observed == sent;
  }));

  const std::string exposition = metrics.render();
  const std::set<std::string> routes{"/items/{id}", "/in", "unmatched"};
  const std::set<std::string> allowed_methods{"GET", "POST", "PUT", "DELETE", "other"};
  for (const std::string& metric : {std::string("ttbridge_http_requests_total"),
                                    std::string("ttbridge_http_request_duration_seconds_count")}) {
    for (const std::string& route : label_values(exposition, metric, "route")) {
      EXPECT_TRUE(routes.count(route)) << metric << " has route label '" << route << "'";
    }
  }
  for (const std::string& method :
       label_values(exposition, "ttbridge_http_requests_total", "method")) {
    EXPECT_TRUE(allowed_methods.count(method)) << "method label '" << method << "'";
  }
  EXPECT_FALSE(label_values(exposition, "ttbridge_http_requests_total", "route").empty());
}

}  // namespace
}  // namespace ttb::net
