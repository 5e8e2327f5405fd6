// The stable report link's token (core/http/report_token.h): it names exactly the document it was
// signed for, under the current or the previous key, and anything else is refused.

#include "http/report_token.h"

#include <gtest/gtest.h>

#include "http/report_links.h"

namespace ttb::http {
namespace {

const std::string kKey = "8c1f0e2d4b3a59687766554433221100ffeeddccbbaa99887766554433221100";
const std::string kOldKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

TEST(ReportToken, VerifiesWhatItWasSignedFor) {
  const ReportDocument doc{"acme", "9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4", "attachment-0"};
  const std::string token = sign_report_token(kKey, doc);
  EXPECT_EQ(verify_report_token(token, {kKey}), doc);
  // URL-safe as it is: base64url and one dot.
  EXPECT_EQ(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."),
      std::string::npos);
}

TEST(ReportToken, RefusesEveryAlteredCharacter) {
  const std::string token = sign_report_token(kKey, {"acme", "pr_1", "report"});
  for (std::size_t i = 0; i < token.size(); ++i) {
    std::string altered = token;
    altered[i] = altered[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(verify_report_token(altered, {kKey})) << "position " << i;
  }
}

TEST(ReportToken, HasOneSpellingOnly) {
  // The MAC's 32 bytes end in a character with 2 unused bits; setting one must not verify.
  const std::string token = sign_report_token(kKey, {"acme", "pr_1", "report"});
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const auto last = alphabet.find(token.back());
  ASSERT_NE(last, std::string::npos);
  std::string varied = token;
  varied.back() = alphabet[last | 1];
  ASSERT_NE(varied, token);
  EXPECT_FALSE(verify_report_token(varied, {kKey}));
}

TEST(ReportToken, RefusesANameSwappedUnderTheSameMac) {
  const std::string a = sign_report_token(kKey, {"acme", "pr_1", "report"});
  const std::string b = sign_report_token(kKey, {"acme", "pr_2", "report"});
  const std::string spliced = b.substr(0, b.find('.')) + a.substr(a.find('.'));
  EXPECT_FALSE(verify_report_token(spliced, {kKey}));
}

TEST(ReportToken, FieldsCannotBeShiftedAcrossTheirBoundaries) {
  // Same bytes end to end, different split: different names, different tokens.
  EXPECT_NE(sign_report_token(kKey, {"ac", "me:pr_1", "report"}),
            sign_report_token(kKey, {"acme:", "pr_1", "report"}));
}

TEST(ReportToken, RefusesAnotherKeyAndAnEmptyKeyList) {
  const std::string token = sign_report_token(kKey, {"acme", "pr_1", "report"});
  EXPECT_FALSE(verify_report_token(token, {kOldKey}));
  EXPECT_FALSE(verify_report_token(token, {}));
  EXPECT_FALSE(verify_report_token(token, {""}));
}

TEST(ReportToken, PreviousKeyStillVerifiesDuringARotation) {
  const ReportDocument doc{"acme", "pr_1", "report"};
  const std::string old_token = sign_report_token(kOldKey, doc);
  EXPECT_EQ(verify_report_token(old_token, {kKey, kOldKey}), doc);
  EXPECT_FALSE(verify_report_token(old_token, {kKey}));  // once the rotation is over
}

TEST(ReportToken, RefusesMalformedTokens) {
  for (const std::string& t :
       {std::string(), std::string("."), std::string("abc"), std::string("a.b.c"),
        std::string("!!.??"), std::string("YWJj."), std::string(".YWJj")}) {
    EXPECT_FALSE(verify_report_token(t, {kKey})) << t;
  }
  std::string long_token(kMaxReportTokenChars + 1, 'A');
  EXPECT_FALSE(verify_report_token(long_token, {kKey}));
}

TEST(ReportToken, AttachmentDocumentsRoundTrip) {
  EXPECT_EQ(attachment_document(0), "attachment-0");
  EXPECT_EQ(attachment_index("attachment-12"), 12u);
  EXPECT_EQ(attachment_index(attachment_document(999)), 999u);
  for (const char* bad : {"attachment-", "attachment-01", "attachment--1", "attachment-1000",
                          "attachment-1x", "report", "Attachment-1"}) {
    EXPECT_FALSE(attachment_index(bad)) << bad;
  }
}

TEST(ReportLinks, CardViewPointsEveryLinkAtTheDaemon) {
  ReportLinks links("https://ttbridge.example.com", kKey);
  orders::ResultView view;
  view.url = "https://vendor.example/r/1";
  view.attachments = {{"https://vendor.example/1.pdf", "PDF"}, {"", "no link"}};
  const orders::ResultView card = links.card_view("acme", "pr_1", view);
  const std::string prefix = "https://ttbridge.example.com/reports/";
  ASSERT_EQ(card.url.rfind(prefix, 0), 0u) << card.url;
  EXPECT_EQ(links.verify(card.url.substr(prefix.size())),
            (ReportDocument{"acme", "pr_1", "report"}));
  ASSERT_EQ(card.attachments[0].url.rfind(prefix, 0), 0u);
  EXPECT_EQ(links.verify(card.attachments[0].url.substr(prefix.size())),
            (ReportDocument{"acme", "pr_1", "attachment-0"}));
  EXPECT_EQ(card.attachments[0].description, "PDF");
  EXPECT_EQ(card.attachments[1].url, "");  // nothing to link to

  EXPECT_EQ(stored_document_url(view, "report"), "https://vendor.example/r/1");
  EXPECT_EQ(stored_document_url(view, "attachment-0"), "https://vendor.example/1.pdf");
  EXPECT_FALSE(stored_document_url(view, "attachment-1"));  // empty
  EXPECT_FALSE(stored_document_url(view, "attachment-2"));  // beyond the list
  EXPECT_FALSE(stored_document_url(orders::ResultView{}, "report"));
}

TEST(ReportLinks, OldCardLinksKeepWorkingWithThePreviousKey) {
  ReportLinks before("https://t.example", kOldKey);
  ReportLinks after("https://t.example", kKey, kOldKey);
  const std::string link = before.link({"acme", "pr_1", "report"});
  const std::string token = link.substr(link.rfind('/') + 1);
  EXPECT_TRUE(after.verify(token));
  EXPECT_FALSE(ReportLinks("https://t.example", kKey).verify(token));
  // New links are signed with the new key.
  const std::string fresh = after.link({"acme", "pr_1", "report"});
  EXPECT_TRUE(ReportLinks("https://t.example", kKey).verify(fresh.substr(fresh.rfind('/') + 1)));
}

}  // namespace
}  // namespace ttb::http
