// The dashboard's page (web/), built into the binary by cmake/embed_assets.cmake.
#pragma once

#include <span>
#include <string_view>

namespace verity::serve {

struct Asset {
  std::string_view path;          // "/index.html", "/app.js"
  std::string_view content_type;  // "text/html; charset=utf-8"
  std::string_view data;
};

std::span<const Asset> Assets();

}  // namespace verity::serve
