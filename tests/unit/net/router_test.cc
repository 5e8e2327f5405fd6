// The router decides which handler sees a request and what it learns from the path.
#include <string>

#include <gtest/gtest.h>

#include "net/router.h"

namespace ttb::net {
namespace {

Handler answering(std::string body) {
  return [body](Request&) { return Response::text(200, body); };
}

Request request(std::string method, std::string path) {
  Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}

// Runs the matched handler, or returns "" when nothing matched.
std::string dispatch(const Router& router, Request& r) {
  Router::Match m = router.match(r);
  return m.handler ? (*m.handler)(r).body : "";
}

TEST(Router, MatchesLiteralRouteAndReportsItsPattern) {
  Router router;
  router.add("GET", "/healthz", answering("health"));
  router.add("GET", "/readyz", answering("ready"));
  Request r = request("GET", "/readyz");
  Router::Match m = router.match(r);
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(m.route, "/readyz");
  EXPECT_EQ((*m.handler)(r).body, "ready");
  EXPECT_FALSE(m.method_mismatch);
}

TEST(Router, AnAsyncRouteMatchesLikeAnyOtherAndSaysItIsAsync) {
  Router router;
  router.add("GET", "/orders/{id}", answering("plain"));
  router.add_async("POST", "/orders/{id}", [](Request& r, Respond respond) {
    respond(Response::text(202, "later " + r.params.at("id")));
  });
  Request post = request("POST", "/orders/o1");
  Router::Match m = router.match(post);
  ASSERT_TRUE(m.found());
  EXPECT_EQ(m.handler, nullptr);
  ASSERT_NE(m.async_handler, nullptr);
  EXPECT_EQ(m.route, "/orders/{id}");
  std::string answered;
  (*m.async_handler)(post, [&answered](Response response) { answered = response.body; });
  EXPECT_EQ(answered, "later o1");

  Request get = request("GET", "/orders/o1");
  EXPECT_EQ(dispatch(router, get), "plain");
  Request put = request("PUT", "/orders/o1");
  Router::Match none = router.match(put);
  EXPECT_FALSE(none.found());
  EXPECT_TRUE(none.method_mismatch);
}

TEST(Router, LiteralRouteDoesNotMatchLongerOrShorterPath) {
  Router router;
  router.add("GET", "/v1/orders", answering("orders"));
  Request longer = request("GET", "/v1/orders/extra");
  Request shorter = request("GET", "/v1");
  Request other = request("GET", "/v1/order");
  EXPECT_EQ(router.match(longer).handler, nullptr);
  EXPECT_EQ(router.match(shorter).handler, nullptr);
  EXPECT_EQ(router.match(other).handler, nullptr);
}

TEST(Router, CapturesNamedParameters) {
  Router router;
  router.add("POST", "/tenants/{tenant}/orders/{order}", answering("x"));
  Request r = request("POST", "/tenants/acme/orders/o-17");
  Router::Match m = router.match(r);
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(m.route, "/tenants/{tenant}/orders/{order}");
  EXPECT_EQ(r.params.size(), 2u);
  EXPECT_EQ(r.params.at("tenant"), "acme");
  EXPECT_EQ(r.params.at("order"), "o-17");
}

TEST(Router, ParameterNeedsASegment) {
  Router router;
  router.add("GET", "/tenants/{tenant}", answering("x"));
  Request r = request("GET", "/tenants/");
  EXPECT_EQ(router.match(r).handler, nullptr);
  EXPECT_TRUE(r.params.empty());
}

TEST(Router, RestCapturesMultipleSegments) {
  Router router;
  router.add("POST", "/callbacks/{tenant}/{provider}/{rest...}", answering("cb"));
  Request r = request("POST", "/callbacks/acme/testvendor/results/v2/42");
  Router::Match m = router.match(r);
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(m.route, "/callbacks/{tenant}/{provider}/{rest...}");
  EXPECT_EQ(r.params.at("tenant"), "acme");
  EXPECT_EQ(r.params.at("provider"), "testvendor");
  EXPECT_EQ(r.params.at("rest"), "results/v2/42");
}

TEST(Router, RestIsEmptyForTheBareRoute) {
  Router router;
  router.add("POST", "/callbacks/{tenant}/{provider}/{rest...}", answering("cb"));
  Request bare = request("POST", "/callbacks/acme/testvendor");
  ASSERT_NE(router.match(bare).handler, nullptr);
  ASSERT_EQ(bare.params.count("rest"), 1u);
  EXPECT_EQ(bare.params.at("rest"), "");

  Request slash = request("POST", "/callbacks/acme/testvendor/");
  ASSERT_NE(router.match(slash).handler, nullptr);
  EXPECT_EQ(slash.params.at("rest"), "");

  Request one = request("POST", "/callbacks/acme/testvendor/ping");
  ASSERT_NE(router.match(one).handler, nullptr);
  EXPECT_EQ(one.params.at("rest"), "ping");
}

TEST(Router, RestStillRequiresTheSegmentsBeforeIt) {
  Router router;
  router.add("POST", "/callbacks/{tenant}/{provider}/{rest...}", answering("cb"));
  Request r = request("POST", "/callbacks/acme");
  EXPECT_EQ(router.match(r).handler, nullptr);
}

TEST(Router, UnknownPathIsNotFoundNotMethodMismatch) {
  Router router;
  router.add("GET", "/healthz", answering("x"));
  Request r = request("GET", "/nope");
  Router::Match m = router.match(r);
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_FALSE(m.method_mismatch);
}

TEST(Router, KnownPathWithOtherMethodIsMethodMismatch) {
  Router router;
  router.add("GET", "/orders/{id}", answering("get"));
  Request r = request("DELETE", "/orders/9");
  Router::Match m = router.match(r);
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_TRUE(m.method_mismatch);
}

TEST(Router, MethodMismatchOnEarlierRouteDoesNotHideLaterMatch) {
  Router router;
  router.add("GET", "/orders/{id}", answering("get"));
  router.add("PUT", "/orders/{id}", answering("put"));
  Request r = request("PUT", "/orders/9");
  Router::Match m = router.match(r);
  ASSERT_NE(m.handler, nullptr);
  EXPECT_FALSE(m.method_mismatch);
  EXPECT_EQ((*m.handler)(r).body, "put");
  EXPECT_EQ(r.params.at("id"), "9");
}

TEST(Router, FirstMatchingRouteWins) {
  Router router;
  router.add("GET", "/orders/export", answering("literal"));
  router.add("GET", "/orders/{id}", answering("param"));
  Request literal = request("GET", "/orders/export");
  Request param = request("GET", "/orders/42");
  EXPECT_EQ(dispatch(router, literal), "literal");
  EXPECT_TRUE(literal.params.empty());
  EXPECT_EQ(dispatch(router, param), "param");

  Router reversed;
  reversed.add("GET", "/orders/{id}", answering("param"));
  reversed.add("GET", "/orders/export", answering("literal"));
  Request shadowed = request("GET", "/orders/export");
  EXPECT_EQ(dispatch(reversed, shadowed), "param");
  EXPECT_EQ(shadowed.params.at("id"), "export");
}

TEST(Router, ParamsOfAFailedCandidateDoNotLeakIntoTheMatch) {
  Router router;
  router.add("GET", "/a/{x}/b", answering("first"));
  router.add("GET", "/a/{y}/c", answering("second"));
  Request r = request("GET", "/a/1/c");
  EXPECT_EQ(dispatch(router, r), "second");
  EXPECT_EQ(r.params.count("x"), 0u);
  EXPECT_EQ(r.params.at("y"), "1");
}

TEST(Router, RootPathMatchesRootRoute) {
  Router router;
  router.add("GET", "/", answering("root"));
  Request r = request("GET", "/");
  EXPECT_EQ(dispatch(router, r), "root");
}

}  // namespace
}  // namespace ttb::net
