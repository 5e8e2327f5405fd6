#include "teamtailor/webhook.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ttb::teamtailor {
namespace {

// A full body in the documented shape (docs/protocols/teamtailor.md, "Webhook body"), URLs
// elided.
constexpr const char* kDocExample = R"({
  "partner-event": {
    "id": "5b0c2d1e-7a44-4f0e-9c1a-2f3e4d5c6b7a",
    "webhook-data": { "test": "3", "language": "2" },
    "partner-result": {
      "id": "9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4",
      "status": "sending",
      "update-url": "https://api.teamtailor.com/partner/v1/partner-results/9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4"
    },
    "candidate": {
      "id": 1001, "uuid": "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
      "first-name": "Ada", "last-name": "Lovelace", "email": "ada@example.org", "phone": "+46700000000",
      "tags": ["backend"], "department": "R&D", "role": "Engineer",
      "job": { "id": 77, "title": "C++ Engineer", "stage": "Screening", "tags": ["cpp"],
               "custom-fields": [ { "remote-ok": { "value": true, "type": "boolean" } } ],
               "status": { "rejected": false },
               "stage-id": 12, "trigger-id": 5,
               "triggered-by": { "id": 31, "email": "rec@example.org", "name": "Rita Recruiter" } },
      "recruiter": { "name": "Rita Recruiter", "email": "rec@example.org", "phone": "+46..." },
      "questions": [ { "question": "Years of C++?", "answer": "5 years" } ],
      "custom-fields": [ { "national-id": { "value": "x", "type": "text" } } ],
      "resume": { "file-name": "cv.pdf", "url": "https://example.org/cv.pdf" }
    }
  },
  "company": { "uuid": "aB3dE5fG7hJ", "name": "Acme", "url": "https://career.acme.example", "logotype": "https://example.org/l.png" }
})";

TEST(Webhook, ParsesTheDocumentedExample) {
  auto parse = parse_webhook(kDocExample);
  ASSERT_TRUE(parse.event) << parse.error;
  const auto& e = *parse.event;
  EXPECT_EQ(e.event_id, "5b0c2d1e-7a44-4f0e-9c1a-2f3e4d5c6b7a");
  EXPECT_EQ(e.partner_result_id, "9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4");
  EXPECT_EQ(
      e.update_url,
      "https://api.teamtailor.com/partner/v1/partner-results/9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4");
  EXPECT_EQ(e.test_id, "3");
  // The form's values as compact JSON text, members in the body's order.
  EXPECT_EQ(e.webhook_data_json, R"({"test":"3","language":"2"})");
  EXPECT_EQ(e.candidate.id, "1001");
  EXPECT_EQ(e.candidate.uuid, "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b");
  EXPECT_EQ(e.candidate.first_name, "Ada");
  EXPECT_EQ(e.candidate.last_name, "Lovelace");
  EXPECT_EQ(e.candidate.email, "ada@example.org");
  EXPECT_EQ(e.candidate.phone, "+46700000000");
  EXPECT_EQ(e.job.id, "77");
  EXPECT_EQ(e.job.title, "C++ Engineer");
  EXPECT_EQ(e.job.stage, "Screening");
  EXPECT_EQ(e.job.stage_id, "12");
  EXPECT_EQ(e.company.uuid, "aB3dE5fG7hJ");
  EXPECT_EQ(e.company.name, "Acme");
}

nlohmann::json doc() {
  return nlohmann::json::parse(kDocExample);
}

TEST(Webhook, RefusesMissingEventId) {
  auto body = doc();
  body["partner-event"].erase("id");
  auto parse = parse_webhook(body.dump());
  EXPECT_FALSE(parse.event);
  EXPECT_NE(parse.error.find("partner-event.id"), std::string::npos);

  body["partner-event"]["id"] = "";
  EXPECT_FALSE(parse_webhook(body.dump()).event);
  body["partner-event"]["id"] = nlohmann::json::object();
  EXPECT_FALSE(parse_webhook(body.dump()).event);
}

TEST(Webhook, RefusesMissingPartnerResultId) {
  auto body = doc();
  body["partner-event"]["partner-result"].erase("id");
  auto parse = parse_webhook(body.dump());
  EXPECT_FALSE(parse.event);
  EXPECT_NE(parse.error.find("partner-result.id"), std::string::npos);

  body["partner-event"].erase("partner-result");
  EXPECT_FALSE(parse_webhook(body.dump()).event);
  body["partner-event"]["partner-result"] = "9e8d";
  EXPECT_FALSE(parse_webhook(body.dump()).event);
}

TEST(Webhook, RefusesOverlongIds) {
  auto body = doc();
  body["partner-event"]["id"] = std::string(300, 'a');
  EXPECT_FALSE(parse_webhook(body.dump()).event);
}

TEST(Webhook, RefusesMalformedJson) {
  for (const char* text : {"", "   ", "{", "{\"partner-event\":", "not json", "{\"a\":1}x"}) {
    auto parse = parse_webhook(text);
    EXPECT_FALSE(parse.event) << text;
    EXPECT_FALSE(parse.error.empty());
  }
}

TEST(Webhook, RefusesInvalidUtf8AnywhereInTheBody) {
  auto body = doc().dump();
  // In a field the engine never reads: the body as a whole is not JSON (RFC 8259 requires UTF-8).
  const auto at = body.find("R&D");
  ASSERT_NE(at, std::string::npos);
  body[at + 1] = '\xff';  // "R\xffD"
  auto parse = parse_webhook(body);
  EXPECT_FALSE(parse.event);
  EXPECT_EQ(parse.error, "webhook body is not valid UTF-8");
}

TEST(Webhook, ANameGivenTwiceCountsByItsLastValue) {
  auto text = doc().dump();
  const std::string first = R"("partner-event":{)";
  const auto at = text.find(first);
  ASSERT_NE(at, std::string::npos);
  text.insert(at + first.size(), R"("id":"an-earlier-id",)");
  auto parse = parse_webhook(text);
  ASSERT_TRUE(parse.event) << parse.error;
  EXPECT_EQ(parse.event->event_id, "5b0c2d1e-7a44-4f0e-9c1a-2f3e4d5c6b7a");
}

TEST(Webhook, AcceptsAByteOrderMark) {
  auto parse = parse_webhook("\xEF\xBB\xBF" + doc().dump());
  ASSERT_TRUE(parse.event) << parse.error;
  EXPECT_EQ(parse.event->job.title, "C++ Engineer");
}

TEST(Webhook, RefusesNumbersBeyondSixtyFourBitsWhereverTheyAre) {
  auto body = doc();
  body["partner-event"]["candidate"]["job"]["trigger-id"] = 1e300;  // a double in range is fine
  ASSERT_TRUE(parse_webhook(body.dump()).event);

  for (const char* number : {"123456789012345678901234567890", "1e400"}) {
    std::string text = body.dump();
    const auto at = text.find("\"trigger-id\":");
    ASSERT_NE(at, std::string::npos);
    text.insert(at, std::string(R"("big":)") + number + ",");
    auto parse = parse_webhook(text);
    EXPECT_FALSE(parse.event) << number;
    EXPECT_EQ(parse.error, "webhook body has a number that is malformed or out of range");
  }
}

TEST(Webhook, RefusesNonObjectShapes) {
  for (const char* text :
       {"[]", "42", "\"x\"", "null", R"({"partner-event":[]})", R"({"partner-event":"x"})"}) {
    EXPECT_FALSE(parse_webhook(text).event) << text;
  }
  auto body = doc();
  body["partner-event"]["candidate"] = "ada";
  EXPECT_FALSE(parse_webhook(body.dump()).event);
  body = doc();
  body["partner-event"]["webhook-data"] = nlohmann::json::array();
  EXPECT_FALSE(parse_webhook(body.dump()).event);
  body = doc();
  body["partner-event"]["candidate"]["email"] = nlohmann::json::array({"a@b"});
  EXPECT_FALSE(parse_webhook(body.dump()).event);
  body = doc();
  body["company"] = 7;
  EXPECT_FALSE(parse_webhook(body.dump()).event);
}

TEST(Webhook, RefusesMissingCandidate) {
  auto body = doc();
  body["partner-event"].erase("candidate");
  EXPECT_FALSE(parse_webhook(body.dump()).event);
}

TEST(Webhook, RefusesBodiesNestedTooDeep) {
  std::string deep =
      R"({"partner-event":{"id":"e","partner-result":{"id":"r"},"candidate":{},"x":)";
  for (int i = 0; i < 40; ++i) deep += "[";
  for (int i = 0; i < 40; ++i) deep += "]";
  deep += "}}";
  auto parse = parse_webhook(deep, 32);
  EXPECT_FALSE(parse.event);
  EXPECT_NE(parse.error.find("deeper"), std::string::npos);
  // The same body is fine under a looser bound: the depth check is what refused it.
  EXPECT_TRUE(parse_webhook(deep, 64).event);
}

TEST(Webhook, SurvivesHostileDepth) {
  std::string deep(200000, '[');
  EXPECT_FALSE(parse_webhook(deep).event);
}

TEST(Webhook, BracketsInsideStringsDoNotCountAsDepth) {
  auto body = doc();
  body["partner-event"]["candidate"]["role"] = std::string(100, '{');
  EXPECT_TRUE(parse_webhook(body.dump(), 8).event);
}

TEST(Webhook, KeepsStringAndNullFieldsLeniently) {
  auto body = doc();
  body["partner-event"]["candidate"]["id"] = "1001";
  body["partner-event"]["candidate"]["phone"] = nullptr;
  body["partner-event"]["partner-result"]["id"] = 123456;
  body["partner-event"]["webhook-data"]["test"] = 4;
  auto parse = parse_webhook(body.dump());
  ASSERT_TRUE(parse.event) << parse.error;
  EXPECT_EQ(parse.event->candidate.id, "1001");
  EXPECT_EQ(parse.event->candidate.phone, "");
  EXPECT_EQ(parse.event->partner_result_id, "123456");
  EXPECT_EQ(parse.event->test_id, "4");
}

TEST(Webhook, ManualSendWithoutWebhookDataOrJobParses) {
  auto body = doc();
  body["partner-event"].erase("webhook-data");
  body["partner-event"]["candidate"].erase("job");
  body.erase("company");
  auto parse = parse_webhook(body.dump());
  ASSERT_TRUE(parse.event) << parse.error;
  EXPECT_EQ(parse.event->webhook_data_json, "{}");
  EXPECT_EQ(parse.event->test_id, "");
  EXPECT_EQ(parse.event->company.uuid, "");
}

TEST(Webhook, AJobStageOfAnotherShapeIsLeftOutNotRefused) {
  auto body = doc();
  body["partner-event"]["candidate"]["job"]["stage"] = {{"name", "Screening"}};
  body["partner-event"]["candidate"]["job"]["stage-id"] = "twelve";
  auto parse = parse_webhook(body.dump());
  ASSERT_TRUE(parse.event) << parse.error;
  EXPECT_EQ(parse.event->job.stage, "");
  EXPECT_EQ(parse.event->job.stage_id, "twelve");  // text is kept as it is
  body["partner-event"]["candidate"]["job"]["stage"] = std::string(2000, 's');
  body["partner-event"]["candidate"]["job"]["stage-id"] = 1.5;
  parse = parse_webhook(body.dump());
  ASSERT_TRUE(parse.event) << parse.error;
  EXPECT_EQ(parse.event->job.stage, "");
  EXPECT_EQ(parse.event->job.stage_id, "");
  EXPECT_EQ(parse.event->job.title, "C++ Engineer");
}

}  // namespace
}  // namespace ttb::teamtailor
