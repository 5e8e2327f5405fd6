// The optional TLS listener: with a certificate and key the server speaks HTTPS on its port, and
// a key it cannot load stops the start with the file's name. The self-signed certificate is made
// at test time (testing::TestCertificate); no key is checked in.
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>

#include "loopback.h"
#include "net/http_server.h"

namespace ttb::net {
namespace {

using testing::LoopbackServer;
using testing::RawConnection;

class HttpServerTls : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!certificate_.made()) GTEST_SKIP() << "the openssl command is not available";
    cert_ = certificate_.cert_file();
    key_ = certificate_.key_file();
  }

  testing::TestCertificate certificate_;
  std::string cert_;
  std::string key_;
};

std::shared_ptr<Router> ping_router() {
  auto router = std::make_shared<Router>();
  router->add("GET", "/ping", [](Request&) { return Response::text(200, "pong"); });
  return router;
}

TEST_F(HttpServerTls, ServesARequestOverTls) {
  ServerOptions options;
  options.tls_cert_file = cert_;
  options.tls_key_file = key_;
  LoopbackServer server(ping_router(), options);

  // The certificate is self-signed: this test proves the transport, not the trust chain.
  Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "",
                                                           Poco::Net::Context::VERIFY_NONE);
  Poco::Net::HTTPSClientSession session("127.0.0.1", server.port(), context);
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/ping",
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream& body = session.receiveResponse(response);
  std::stringstream text;
  text << body.rdbuf();
  EXPECT_EQ(response.getStatus(), 200);
  EXPECT_EQ(text.str(), "pong");
  EXPECT_TRUE(session.secure());
}

TEST_F(HttpServerTls, PlainHttpOnTheTlsPortIsNotServed) {
  ServerOptions options;
  options.tls_cert_file = cert_;
  options.tls_key_file = key_;
  LoopbackServer server(ping_router(), options);
  RawConnection conn(server.port());
  conn.send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(conn.read_response().status, 200);
}

TEST_F(HttpServerTls, AKeyThatCannotBeLoadedIsNamedAtStart) {
  const std::string bad_key = (certificate_.dir() / "not-a-key.pem").string();
  std::ofstream(bad_key) << "not a key\n";
  ServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.tls_cert_file = cert_;
  options.tls_key_file = bad_key;
  try {
    auto server = make_http_server(options, ping_router(), {});
    ADD_FAILURE() << "a server started with an unreadable key";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(bad_key), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ttb::net
