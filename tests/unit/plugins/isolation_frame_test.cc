// The frame codec of plugin isolation: frames round-trip with any bytes in their fields, arrive
// in pieces, and a truncated, oversize or malformed frame is refused rather than guessed at.

#include <gtest/gtest.h>

#include "plugins/isolation/frame.h"
#include "plugins/isolation/messages.h"

namespace ttb::plugins::isolation {
namespace {

using namespace std::chrono_literals;

std::string u32(std::uint32_t v) {
  std::string out;
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xffU));
  return out;
}

// A hand-built frame: length, kind, id (8 bytes), field count, then the raw tail.
std::string raw_frame(std::uint8_t kind, std::uint32_t count, const std::string& tail,
                      std::optional<std::uint32_t> length = std::nullopt) {
  std::string body;
  body.push_back(static_cast<char>(kind));
  body += std::string(8, '\0');
  body += u32(count);
  body += tail;
  return u32(length.value_or(static_cast<std::uint32_t>(body.size()))) + body;
}

TEST(FrameCodec, RoundTripsFieldsWithAnyBytes) {
  Frame in{FrameKind::call, 0x0102030405060708ULL, {"", std::string("a\0b", 3), "{\"x\":1}"}};
  FrameDecoder decoder;
  decoder.feed(encode_frame(in));
  auto out = decoder.next();
  ASSERT_TRUE(out) << decoder.error();
  EXPECT_EQ(out->kind, FrameKind::call);
  EXPECT_EQ(out->id, in.id);
  EXPECT_EQ(out->fields, in.fields);
  EXPECT_FALSE(decoder.partial());
  EXPECT_FALSE(decoder.next());
  EXPECT_TRUE(decoder.error().empty());
}

TEST(FrameCodec, ReassemblesFramesFedAByteAtATime) {
  const std::string bytes = encode_frame(Frame{FrameKind::log, 1, {"one"}}) +
                            encode_frame(Frame{FrameKind::result, 2, {"two", "2"}});
  FrameDecoder decoder;
  std::vector<Frame> frames;
  for (char c : bytes) {
    decoder.feed(std::string_view(&c, 1));
    while (auto f = decoder.next()) frames.push_back(std::move(*f));
  }
  ASSERT_EQ(frames.size(), 2u) << decoder.error();
  EXPECT_EQ(frames[0].fields[0], "one");
  EXPECT_EQ(frames[1].id, 2u);
  EXPECT_EQ(frames[1].field(1), "2");
  EXPECT_EQ(frames[1].field(7), "") << "a missing field reads as empty";
}

TEST(FrameCodec, ATruncatedFrameWaitsAndShowsAsPartial) {
  const std::string bytes = encode_frame(Frame{FrameKind::call, 9, {"payload"}});
  FrameDecoder decoder;
  decoder.feed(bytes.substr(0, bytes.size() - 1));
  EXPECT_FALSE(decoder.next());
  EXPECT_TRUE(decoder.error().empty()) << "more bytes may come";
  EXPECT_TRUE(decoder.partial()) << "at end of stream this is a truncated frame";
}

TEST(FrameCodec, ALargeFrameDoesNotKeepItsBufferOnceDecoded) {
  const std::string large =
      encode_frame(Frame{FrameKind::result, 1, {"ok", std::string(8 << 20, 'r')}});  // a report
  const std::string small = encode_frame(Frame{FrameKind::log, 2, {"small"}});
  constexpr std::size_t kKept = 256 * 1024;

  // Alone in the stream: its room is made once, and goes when it is decoded.
  FrameDecoder decoder;
  decoder.feed(std::string_view(large).substr(0, large.size() / 2));
  EXPECT_FALSE(decoder.next());
  EXPECT_GE(decoder.capacity(), large.size());
  EXPECT_LT(decoder.capacity(), large.size() + kKept) << "not doubled up to 16 MiB";
  decoder.feed(std::string_view(large).substr(large.size() / 2));
  ASSERT_TRUE(decoder.next()) << decoder.error();
  EXPECT_LE(decoder.capacity(), kKept);

  // With part of the next frame behind it: at the next feed, keeping that part.
  FrameDecoder behind;
  behind.feed(large + small.substr(0, 5));
  ASSERT_TRUE(behind.next()) << behind.error();
  behind.feed(small.substr(5));
  auto next = behind.next();
  ASSERT_TRUE(next) << behind.error();
  EXPECT_EQ(next->field(0), "small");
  EXPECT_LE(behind.capacity(), kKept);
}

TEST(FrameCodec, RefusesAnOversizeFrameBeforeReadingIt) {
  FrameDecoder decoder;
  decoder.feed(u32(static_cast<std::uint32_t>(kMaxFrameBytes + 1)));
  EXPECT_FALSE(decoder.next());
  EXPECT_NE(decoder.error().find("exceeds the limit"), std::string::npos) << decoder.error();
}

TEST(FrameCodec, RefusesGarbage) {
  struct Case {
    const char* what;
    std::string bytes;
    const char* error;
  };
  const std::vector<Case> cases = {
      {"shorter than a header", u32(3) + "abc", "shorter than its header"},
      {"unknown kind", raw_frame(99, 0, ""), "unknown kind"},
      {"field past the end", raw_frame(2, 1, u32(50) + "abc"), "runs past the end"},
      {"length of a field cut", raw_frame(2, 1, "ab"), "inside the length"},
      {"bytes after the last field", raw_frame(2, 0, "junk"), "after its last field"},
      {"absurd field count", raw_frame(2, 1000000, ""), "fields"},
  };
  for (const auto& c : cases) {
    FrameDecoder decoder;
    decoder.feed(c.bytes);
    EXPECT_FALSE(decoder.next()) << c.what;
    EXPECT_NE(decoder.error().find(c.error), std::string::npos)
        << c.what << ": " << decoder.error();
    decoder.feed(encode_frame(Frame{FrameKind::log, 1, {}}));
    EXPECT_FALSE(decoder.next()) << c.what << ": a broken stream stays broken";
  }
}

TEST(FrameMessages, CallResultsRoundTripWithRetryAfter) {
  CallResult in{CallStatus::rate_limited, "{}", "slow down", 3000ms};
  CallResult out = call_result_of(to_frame(7, in));
  EXPECT_EQ(out.status, CallStatus::rate_limited);
  EXPECT_EQ(out.json, "{}");
  EXPECT_EQ(out.detail, "slow down");
  ASSERT_TRUE(out.retry_after);
  EXPECT_EQ(*out.retry_after, 3000ms);
  EXPECT_FALSE(call_result_of(to_frame(7, CallResult{CallStatus::ok, "{}", "", {}})).retry_after);
}

TEST(FrameMessages, AnUnknownStatusIsInternal) {
  Frame f{FrameKind::result, 1, {"999", "{}", ""}};
  EXPECT_EQ(call_result_of(f).status, CallStatus::internal);
  f.fields[0] = "not a number";
  EXPECT_EQ(call_result_of(f).status, CallStatus::internal);
}

TEST(FrameMessages, CallbacksKeepMethodPathHeadersAndBody) {
  CallRequest in;
  in.instance = 4;
  in.operation = "handle_callback";
  in.payload = "raw body";
  in.callback.method = "POST";
  in.callback.path = "events/1";
  in.callback.order_json = "{\"id\":1}";
  in.callback.headers = {{"X-Sig", "abc"}, {"Content-Type", "text/plain"}};
  CallRequest out = call_request_of(to_frame(5, in));
  EXPECT_EQ(out.instance, 4u);
  EXPECT_EQ(out.payload, "raw body");
  EXPECT_EQ(out.callback.method, "POST");
  EXPECT_EQ(out.callback.path, "events/1");
  EXPECT_EQ(out.callback.order_json, "{\"id\":1}");
  EXPECT_EQ(out.callback.headers, in.callback.headers);
}

TEST(FrameMessages, AChildsLogLineIsBoundedAndNamesOnlyTheChildsEvents) {
  const HostLogRecord honest{LogLevel::warn, "plugin_http_refused",
                             "acme",         "checkr",
                             "checkr",       "http_send: a header the host sets"};
  HostLogRecord read = log_record_of(to_frame(honest));
  EXPECT_EQ(read.level, LogLevel::warn);
  EXPECT_EQ(read.event, honest.event);
  EXPECT_EQ(read.tenant, honest.tenant);
  EXPECT_EQ(read.provider, honest.provider);
  EXPECT_EQ(read.plugin, honest.plugin);
  EXPECT_EQ(read.message, honest.message);

  const HostLogRecord forged{
      LogLevel::error, "plugin_quarantined",     std::string(100000, 't'), "checkr",
      "checkr",        std::string(1 << 20, 'm')};
  read = log_record_of(to_frame(forged));
  EXPECT_EQ(read.event, "plugin_log");
  EXPECT_EQ(read.message.rfind("[plugin_quarantined] mmm", 0), 0U) << read.message.substr(0, 40);
  EXPECT_LT(read.message.size(), kMaxChildLogMessage + 64);
  EXPECT_NE(
      read.message.find("... [" + std::to_string((1 << 20) - kMaxChildLogMessage) + " bytes cut]"),
      std::string::npos);
  EXPECT_LT(read.tenant.size(), kMaxChildLogName + 64);
}

TEST(FrameMessages, HttpRequestsAndResponsesRoundTrip) {
  HttpRequest in;
  in.request.method = "PUT";
  in.request.url = "https://vendor.test/x";
  in.request.body = std::string("\x89PNG\0", 5);
  in.request.timeout = 1234ms;
  in.request.max_response_bytes = 99;
  in.request.headers = {{"Authorization", "Bearer t"}};
  HttpRequest out = http_request_of(to_frame(1, in));
  EXPECT_EQ(out.request.method, "PUT");
  EXPECT_EQ(out.request.url, in.request.url);
  EXPECT_EQ(out.request.body, in.request.body);
  EXPECT_EQ(out.request.timeout, 1234ms);
  EXPECT_EQ(out.request.max_response_bytes, 99u);
  EXPECT_EQ(out.request.headers, in.request.headers);
  net::ClientResponse resp;
  resp.status = 201;
  resp.body = "ok";
  resp.headers = {{"Retry-After", "3"}};
  net::ClientResponse back = http_response_of(to_frame(1, resp));
  EXPECT_EQ(back.status, 201);
  EXPECT_EQ(back.body, "ok");
  EXPECT_EQ(back.headers, resp.headers);
}

}  // namespace
}  // namespace ttb::plugins::isolation
