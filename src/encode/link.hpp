#pragma once
// A web link as OGC API documents carry them (RFC 8288 fields).
#include <string>
#include <vector>

namespace amis::encode {

struct Link {
  std::string href;
  std::string rel;
  std::string type;
  std::string title;
};

// Appends `[{"href":...,"rel":...,"type":...,"title":...},...]`.
void append_links(std::string& out, const std::vector<Link>& links);

}  // namespace amis::encode
