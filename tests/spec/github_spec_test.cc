// GitHub's REST API description (13 MB of JSON, 1 000+ operations, deep $ref graphs) against the
// catalog and the validator, with a body shaped like what GET /repos/octocat/Hello-World returns.
// The description comes from npm (tools/fetch-bench-specs.sh); without it these tests skip.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "base/json.h"
#include "spec/catalog.h"
#include "spec/response_check.h"

namespace verity::spec {
namespace {

std::string GithubSpecPath() {
  if (const char* env = std::getenv("VERITY_GITHUB_SPEC"); env && *env) return env;
  return VERITY_SOURCE_DIR "/build/npm/node_modules/@octokit/openapi/generated/api.github.com.json";
}

// A response of GET /repos/octocat/Hello-World as an unauthenticated client gets it: every member
// the API sends, with its nulls (language, mirror_url, license, temp_clone_token, homepage).
constexpr std::string_view kHelloWorld = R"({
  "id": 1296269,
  "node_id": "MDEwOlJlcG9zaXRvcnkxMjk2MjY5",
  "name": "Hello-World",
  "full_name": "octocat/Hello-World",
  "private": false,
  "owner": {
    "login": "octocat",
    "id": 583231,
    "node_id": "MDQ6VXNlcjU4MzIzMQ==",
    "avatar_url": "https://avatars.githubusercontent.com/u/583231?v=4",
    "gravatar_id": "",
    "url": "https://api.github.com/users/octocat",
    "html_url": "https://github.com/octocat",
    "followers_url": "https://api.github.com/users/octocat/followers",
    "following_url": "https://api.github.com/users/octocat/following{/other_user}",
    "gists_url": "https://api.github.com/users/octocat/gists{/gist_id}",
    "starred_url": "https://api.github.com/users/octocat/starred{/owner}{/repo}",
    "subscriptions_url": "https://api.github.com/users/octocat/subscriptions",
    "organizations_url": "https://api.github.com/users/octocat/orgs",
    "repos_url": "https://api.github.com/users/octocat/repos",
    "events_url": "https://api.github.com/users/octocat/events{/privacy}",
    "received_events_url": "https://api.github.com/users/octocat/received_events",
    "type": "User",
    "user_view_type": "public",
    "site_admin": false
  },
  "html_url": "https://github.com/octocat/Hello-World",
  "description": "My first repository on GitHub!",
  "fork": false,
  "url": "https://api.github.com/repos/octocat/Hello-World",
  "forks_url": "https://api.github.com/repos/octocat/Hello-World/forks",
  "keys_url": "https://api.github.com/repos/octocat/Hello-World/keys{/key_id}",
  "collaborators_url": "https://api.github.com/repos/octocat/Hello-World/collaborators{/collaborator}",
  "teams_url": "https://api.github.com/repos/octocat/Hello-World/teams",
  "hooks_url": "https://api.github.com/repos/octocat/Hello-World/hooks",
  "issue_events_url": "https://api.github.com/repos/octocat/Hello-World/issues/events{/number}",
  "events_url": "https://api.github.com/repos/octocat/Hello-World/events",
  "assignees_url": "https://api.github.com/repos/octocat/Hello-World/assignees{/user}",
  "branches_url": "https://api.github.com/repos/octocat/Hello-World/branches{/branch}",
  "tags_url": "https://api.github.com/repos/octocat/Hello-World/tags",
  "blobs_url": "https://api.github.com/repos/octocat/Hello-World/git/blobs{/sha}",
  "git_tags_url": "https://api.github.com/repos/octocat/Hello-World/git/tags{/sha}",
  "git_refs_url": "https://api.github.com/repos/octocat/Hello-World/git/refs{/sha}",
  "trees_url": "https://api.github.com/repos/octocat/Hello-World/git/trees{/sha}",
  "statuses_url": "https://api.github.com/repos/octocat/Hello-World/statuses/{sha}",
  "languages_url": "https://api.github.com/repos/octocat/Hello-World/languages",
  "stargazers_url": "https://api.github.com/repos/octocat/Hello-World/stargazers",
  "contributors_url": "https://api.github.com/repos/octocat/Hello-World/contributors",
  "subscribers_url": "https://api.github.com/repos/octocat/Hello-World/subscribers",
  "subscription_url": "https://api.github.com/repos/octocat/Hello-World/subscription",
  "commits_url": "https://api.github.com/repos/octocat/Hello-World/commits{/sha}",
  "git_commits_url": "https://api.github.com/repos/octocat/Hello-World/git/commits{/sha}",
  "comments_url": "https://api.github.com/repos/octocat/Hello-World/comments{/number}",
  "issue_comment_url": "https://api.github.com/repos/octocat/Hello-World/issues/comments{/number}",
  "contents_url": "https://api.github.com/repos/octocat/Hello-World/contents/{+path}",
  "compare_url": "https://api.github.com/repos/octocat/Hello-World/compare/{base}...{head}",
  "merges_url": "https://api.github.com/repos/octocat/Hello-World/merges",
  "archive_url": "https://api.github.com/repos/octocat/Hello-World/{archive_format}{/ref}",
  "downloads_url": "https://api.github.com/repos/octocat/Hello-World/downloads",
  "issues_url": "https://api.github.com/repos/octocat/Hello-World/issues{/number}",
  "pulls_url": "https://api.github.com/repos/octocat/Hello-World/pulls{/number}",
  "milestones_url": "https://api.github.com/repos/octocat/Hello-World/milestones{/number}",
  "notifications_url": "https://api.github.com/repos/octocat/Hello-World/notifications{?since,all,participating}",
  "labels_url": "https://api.github.com/repos/octocat/Hello-World/labels{/name}",
  "releases_url": "https://api.github.com/repos/octocat/Hello-World/releases{/id}",
  "deployments_url": "https://api.github.com/repos/octocat/Hello-World/deployments",
  "created_at": "2011-01-26T19:01:12Z",
  "updated_at": "2025-11-20T08:14:05Z",
  "pushed_at": "2025-10-02T17:21:55Z",
  "git_url": "git://github.com/octocat/Hello-World.git",
  "ssh_url": "git@github.com:octocat/Hello-World.git",
  "clone_url": "https://github.com/octocat/Hello-World.git",
  "svn_url": "https://github.com/octocat/Hello-World",
  "homepage": null,
  "size": 1,
  "stargazers_count": 3081,
  "watchers_count": 3081,
  "language": null,
  "has_issues": true,
  "has_projects": true,
  "has_downloads": true,
  "has_wiki": true,
  "has_pages": false,
  "has_discussions": false,
  "forks_count": 3187,
  "mirror_url": null,
  "archived": false,
  "disabled": false,
  "open_issues_count": 1512,
  "license": null,
  "allow_forking": true,
  "is_template": false,
  "web_commit_signoff_required": false,
  "topics": [],
  "visibility": "public",
  "forks": 3187,
  "open_issues": 1512,
  "watchers": 3081,
  "default_branch": "master",
  "temp_clone_token": null,
  "network_count": 3187,
  "subscribers_count": 1728
})";

class GithubSpec : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string path = GithubSpecPath();
    if (!std::filesystem::exists(path)) return;
    catalog_ = new Catalog(fs_);
    catalog_->Add(path);
  }
  static void TearDownTestSuite() {
    delete catalog_;
    catalog_ = nullptr;
  }

  void SetUp() override {
    if (!catalog_) {
      GTEST_SKIP() << GithubSpecPath()
                   << " is absent: run tools/fetch-bench-specs.sh (or set VERITY_GITHUB_SPEC)";
    }
  }

  const Operation& GetRepository() {
    const Operation* op = catalog_->Find("GET", "/repos/octocat/hello-world");
    EXPECT_NE(nullptr, op);
    static const Operation none;
    return op ? *op : none;
  }

  /// "CODE /instance/path" per error, in order; warnings are left out.
  std::vector<std::string> Errors(const Json& body) {
    ResponseCheck check = CheckResponse(catalog_->specs(), GetRepository(), 200, &body);
    EXPECT_TRUE(check.body_checked);
    std::vector<std::string> out;
    for (const SchemaIssue& issue : check.issues) {
      if (issue.severity == Severity::kError) out.push_back(issue.code + " " + issue.instance_path);
    }
    return out;
  }

  static Json HelloWorld() {
    Result<Json> body = ParseJson(kHelloWorld);
    EXPECT_TRUE(body.ok()) << body.status().ToString();
    return body.ok() ? *body : Json();
  }

  static inline PosixFileSystem fs_;
  static inline Catalog* catalog_ = nullptr;
};

TEST_F(GithubSpec, LoadsOverAThousandOperationsWithoutErrors) {
  EXPECT_GE(catalog_->operations().size(), 1000u);
  ASSERT_EQ(1u, catalog_->files().size());
  EXPECT_EQ(SpecVersion::kOpenApi30, catalog_->files()[0]->version);
  for (const CatalogProblem& problem : catalog_->problems()) {
    EXPECT_FALSE(problem.is_error)
        << problem.code << " " << problem.location << ": " << problem.message;
  }
}

TEST_F(GithubSpec, ConcretePathFindsTheGetRepositoryOperation) {
  const Operation& op = GetRepository();
  EXPECT_EQ("/repos/{owner}/{repo}", op.path);
  EXPECT_EQ("repos/get", op.operation_id);
}

TEST_F(GithubSpec, RealShapedRepositoryResponseHasNoIssues) {
  Json body = HelloWorld();
  ResponseCheck check = CheckResponse(catalog_->specs(), GetRepository(), 200, &body);
  ASSERT_TRUE(check.body_checked);
  std::vector<std::string> issues;
  for (const SchemaIssue& issue : check.issues) {
    issues.push_back(issue.code + " " + issue.instance_path + ": " + issue.message);
  }
  EXPECT_EQ(std::vector<std::string>{}, issues);
}

TEST_F(GithubSpec, StringIdIsATypeMismatchAtItsPath) {
  Json body = HelloWorld();
  body["id"] = "1296269";
  body["owner"]["id"] = "583231";
  EXPECT_EQ((std::vector<std::string>{"TYPE_MISMATCH /id", "TYPE_MISMATCH /owner/id"}),
            Errors(body));
}

TEST_F(GithubSpec, MissingRequiredFieldsAreReportedAtTheirPaths) {
  Json body = HelloWorld();
  body.erase("full_name");
  body["owner"].erase("login");
  EXPECT_EQ((std::vector<std::string>{"MISSING_REQUIRED_FIELD /full_name",
                                      "MISSING_REQUIRED_FIELD /owner/login"}),
            Errors(body));
}

TEST_F(GithubSpec, NullWhereTheSchemaIsNotNullableIsATypeMismatch) {
  Json body = HelloWorld();
  body["default_branch"] = nullptr;
  EXPECT_EQ(std::vector<std::string>{"TYPE_MISMATCH /default_branch"}, Errors(body));
}

}  // namespace
}  // namespace verity::spec
