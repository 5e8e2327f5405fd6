// Request targets as the inbound server hands them to routes: the path and query decoded, the
// absolute form accepted, a broken %-escape or a target that is not a path refused.
#include <gtest/gtest.h>

#include "net/request_target.h"

namespace ttb::net {
namespace {

TEST(RequestTarget, DecodesPathAndQuery) {
  std::string path;
  std::map<std::string, std::string> query;
  ASSERT_TRUE(parse_request_target("/a%20b/c?q=hello%20world&x=1+2&flag&x=3", path, query));
  EXPECT_EQ(path, "/a b/c");
  EXPECT_EQ(query["q"], "hello world");
  EXPECT_EQ(query["x"], "3") << "the last repeated name wins";
  EXPECT_EQ(query["flag"], "");
}

TEST(RequestTarget, PlusIsASpaceOnlyInTheQuery) {
  std::string path;
  std::map<std::string, std::string> query;
  ASSERT_TRUE(parse_request_target("/a+b?v=a+b", path, query));
  EXPECT_EQ(path, "/a+b");
  EXPECT_EQ(query["v"], "a b");
}

TEST(RequestTarget, AcceptsTheAbsoluteForm) {
  std::string path;
  std::map<std::string, std::string> query;
  ASSERT_TRUE(parse_request_target("http://example.com:8080/x/y?z=1", path, query));
  EXPECT_EQ(path, "/x/y");
  EXPECT_EQ(query["z"], "1");
}

TEST(RequestTarget, RefusesBrokenEscapesAndNonPaths) {
  std::string path;
  std::map<std::string, std::string> query;
  EXPECT_FALSE(parse_request_target("/a%zz", path, query));
  EXPECT_FALSE(parse_request_target("/a%4", path, query));
  EXPECT_FALSE(parse_request_target("/?q=%", path, query));
  EXPECT_FALSE(parse_request_target("*", path, query));
  EXPECT_FALSE(parse_request_target("relative/path", path, query));
}

}  // namespace
}  // namespace ttb::net
