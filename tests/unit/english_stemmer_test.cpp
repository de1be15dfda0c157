// The English stemmer (catalog/english_stemmer.hpp): word/stem pairs of the
// Porter2 description's examples, its exceptional forms and special cases, and
// the stems of the catalogue's own vocabulary, typed in here; and, where Debian's
// libstemmer (Snowball's own C library) is installed, the same stems as it for
// every word made of a set of roots and suffixes.
#include <dlfcn.h>

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "catalog/english_stemmer.hpp"
#include "store/full_text_words.hpp"

namespace amis {
namespace {

using catalog::english_stem;

const std::vector<std::pair<const char*, const char*>> kPairs = {
    {"consign", "consign"}, {"consigned", "consign"}, {"consigning", "consign"}, {"consignment", "consign"},
    {"consist", "consist"}, {"consisted", "consist"}, {"consistency", "consist"}, {"consistent", "consist"},
    {"consistently", "consist"}, {"consisting", "consist"}, {"consists", "consist"}, {"consolation", "consol"},
    {"consolations", "consol"}, {"consolatory", "consolatori"}, {"console", "consol"}, {"consoled", "consol"},
    {"consoles", "consol"}, {"consolidate", "consolid"}, {"consolidated", "consolid"}, {"consolidating", "consolid"},
    {"consoling", "consol"}, {"consolingly", "consol"}, {"consols", "consol"}, {"consonant", "conson"},
    {"consort", "consort"}, {"consorted", "consort"}, {"consorting", "consort"}, {"conspicuous", "conspicu"},
    {"conspicuously", "conspicu"}, {"conspiracy", "conspiraci"}, {"conspirator", "conspir"},
    {"conspirators", "conspir"}, {"conspire", "conspir"}, {"conspired", "conspir"}, {"conspiring", "conspir"},
    {"constable", "constabl"}, {"constables", "constabl"}, {"constance", "constanc"}, {"constancy", "constanc"},
    {"constant", "constant"}, {"knack", "knack"}, {"knackeries", "knackeri"}, {"knacks", "knack"}, {"knag", "knag"},
    {"knave", "knave"}, {"knaves", "knave"}, {"knavish", "knavish"}, {"kneaded", "knead"}, {"kneading", "knead"},
    {"knee", "knee"}, {"kneel", "kneel"}, {"kneeled", "kneel"}, {"kneeling", "kneel"}, {"kneels", "kneel"},
    {"knees", "knee"}, {"knell", "knell"}, {"knelt", "knelt"}, {"knew", "knew"}, {"knick", "knick"},
    {"knif", "knif"}, {"knife", "knife"}, {"knight", "knight"}, {"knightly", "knight"}, {"knights", "knight"},
    {"knit", "knit"}, {"knits", "knit"}, {"knitted", "knit"}, {"knitting", "knit"}, {"knives", "knive"},
    {"knob", "knob"}, {"knobs", "knob"}, {"knock", "knock"}, {"knocked", "knock"}, {"knocker", "knocker"},
    {"knockers", "knocker"}, {"knocking", "knock"}, {"knocks", "knock"}, {"knopp", "knopp"}, {"knot", "knot"},
    {"knots", "knot"}, {"skis", "ski"}, {"skies", "sky"}, {"dying", "die"}, {"lying", "lie"}, {"tying", "tie"},
    {"idly", "idl"}, {"gently", "gentl"}, {"ugly", "ugli"}, {"early", "earli"}, {"only", "onli"},
    {"singly", "singl"}, {"sky", "sky"}, {"news", "news"}, {"howe", "howe"}, {"atlas", "atlas"},
    {"cosmos", "cosmos"}, {"bias", "bias"}, {"andes", "andes"}, {"inning", "inning"}, {"innings", "inning"},
    {"outing", "outing"}, {"outings", "outing"}, {"canning", "canning"}, {"cannings", "canning"},
    {"herring", "herring"}, {"herrings", "herring"}, {"earring", "earring"}, {"earrings", "earring"},
    {"proceed", "proceed"}, {"proceeds", "proceed"}, {"proceeded", "proceed"}, {"proceeding", "proceed"},
    {"exceed", "exceed"}, {"exceeds", "exceed"}, {"exceeded", "exceed"}, {"exceeding", "exceed"},
    {"succeed", "succeed"}, {"succeeds", "succeed"}, {"succeeded", "succeed"}, {"succeeding", "succeed"},
    {"generate", "generat"}, {"generates", "generat"}, {"generated", "generat"}, {"general", "general"},
    {"generally", "general"}, {"generic", "generic"}, {"generically", "generic"}, {"generous", "generous"},
    {"generously", "generous"}, {"communal", "communal"}, {"communicate", "communic"}, {"communication", "communic"},
    {"communism", "communism"}, {"communist", "communist"}, {"community", "communiti"}, {"arsenal", "arsenal"},
    {"arsenic", "arsenic"}, {"caresses", "caress"}, {"ponies", "poni"}, {"ties", "tie"}, {"cries", "cri"},
    {"caress", "caress"}, {"cats", "cat"}, {"gas", "gas"}, {"this", "this"}, {"gaps", "gap"}, {"kiwis", "kiwi"},
    {"us", "us"}, {"bus", "bus"}, {"kiss", "kiss"}, {"feed", "feed"}, {"agreed", "agre"}, {"bleed", "bleed"},
    {"plastered", "plaster"}, {"motoring", "motor"}, {"sing", "sing"}, {"conflated", "conflat"},
    {"troubled", "troubl"}, {"sized", "size"}, {"hopping", "hop"}, {"tanned", "tan"}, {"falling", "fall"},
    {"hissing", "hiss"}, {"fizzed", "fizz"}, {"failing", "fail"}, {"filing", "file"}, {"hoped", "hope"},
    {"hoping", "hope"}, {"cry", "cri"}, {"by", "by"}, {"say", "say"}, {"happy", "happi"}, {"sky", "sky"},
    {"relational", "relat"}, {"conditional", "condit"}, {"rational", "ration"}, {"valenci", "valenc"},
    {"hesitanci", "hesit"}, {"digitizer", "digit"}, {"conformabli", "conform"}, {"radicalli", "radic"},
    {"differentli", "differ"}, {"vileli", "vile"}, {"analogousli", "analog"}, {"vietnamization", "vietnam"},
    {"predication", "predic"}, {"operator", "oper"}, {"feudalism", "feudal"}, {"decisiveness", "decis"},
    {"hopefulness", "hope"}, {"callousness", "callous"}, {"formaliti", "formal"}, {"sensitiviti", "sensit"},
    {"sensibiliti", "sensibl"}, {"triplicate", "triplic"}, {"formative", "format"}, {"formalize", "formal"},
    {"electriciti", "electr"}, {"electrical", "electr"}, {"hopeful", "hope"}, {"goodness", "good"},
    {"revival", "reviv"}, {"allowance", "allow"}, {"inference", "infer"}, {"airliner", "airlin"},
    {"gyroscopic", "gyroscop"}, {"adjustable", "adjust"}, {"defensible", "defens"}, {"irritant", "irrit"},
    {"replacement", "replac"}, {"adjustment", "adjust"}, {"dependent", "depend"}, {"adoption", "adopt"},
    {"homologou", "homologou"}, {"communism", "communism"}, {"activate", "activ"}, {"angulariti", "angular"},
    {"homologous", "homolog"}, {"effective", "effect"}, {"bowdlerize", "bowdler"}, {"probate", "probat"},
    {"rate", "rate"}, {"cease", "ceas"}, {"controll", "control"}, {"roll", "roll"}, {"deposit", "deposit"},
    {"deposits", "deposit"}, {"deposited", "deposit"}, {"depositing", "deposit"}, {"mining", "mine"},
    {"mines", "mine"}, {"mined", "mine"}, {"mine", "mine"}, {"miner", "miner"}, {"minerals", "miner"},
    {"mineral", "miner"}, {"mineralization", "miner"}, {"mineralized", "miner"}, {"exploration", "explor"},
    {"explorations", "explor"}, {"exploring", "explor"}, {"explored", "explor"}, {"survey", "survey"},
    {"surveys", "survey"}, {"surveyed", "survey"}, {"surveying", "survey"}, {"geology", "geolog"},
    {"geological", "geolog"}, {"geologically", "geolog"}, {"occurrences", "occurr"}, {"occurrence", "occurr"},
    {"quarries", "quarri"}, {"quarry", "quarri"}, {"quarrying", "quarri"}, {"prospects", "prospect"},
    {"prospecting", "prospect"}, {"licences", "licenc"}, {"licence", "licenc"}, {"licensed", "licens"},
    {"drilled", "drill"}, {"drilling", "drill"}, {"recorded", "record"}, {"recording", "record"},
    {"records", "record"}, {"mapped", "map"}, {"mapping", "map"}, {"maps", "map"}, {"resources", "resourc"},
    {"resource", "resourc"}, {"boundaries", "boundari"}, {"environmental", "environment"},
    {"environment", "environ"}, {"economic", "econom"}, {"economy", "economi"}, {"metadata", "metadata"},
    {"lateritic", "laterit"}, {"ore", "ore"}, {"bodies", "bodi"}, {"collection", "collect"},
    {"collections", "collect"}, {"dataset", "dataset"}, {"datasets", "dataset"}, {"series", "seri"},
    {"services", "servic"}, {"documents", "document"}, {"abandoned", "abandon"}, {"alluvial", "alluvi"},
    {"rivers", "river"}, {"provinces", "provinc"}, {"national", "nation"}, {"nationally", "nation"},
    {"nationalities", "nation"},
};

TEST(EnglishStemmer, PublishedAndTypedPairs) {
  EXPECT_GT(kPairs.size(), 250u);
  for (const auto& [word, stem] : kPairs) EXPECT_EQ(english_stem(word), stem) << word;
}

TEST(EnglishStemmer, SpecialCases) {
  EXPECT_EQ(english_stem("at"), "at");  // fewer than three letters: as it is
  EXPECT_EQ(english_stem("'s"), "'s");
  EXPECT_EQ(english_stem("yes"), "yes");  // initial y is a consonant
  EXPECT_EQ(english_stem("youth"), "youth");
  EXPECT_EQ(english_stem("saying"), "say");  // y after a vowel is a consonant
  EXPECT_EQ(english_stem("o'brien's"), "o'brien");  // the possessive, Step 0
  EXPECT_EQ(english_stem("'tis"), "tis");  // an initial apostrophe goes
  EXPECT_EQ(english_stem("generously"), "generous");  // R1 after "gener"
  EXPECT_EQ(english_stem("Deposits"), "Deposits");  // not lower case: as it is
  EXPECT_EQ(english_stem("depots2"), "depots2");  // digits: as it is
  EXPECT_EQ(english_stem("d\xc3\xa9p\xc3\xb4ts"), "d\xc3\xa9p\xc3\xb4ts");  // non-ASCII: as it is
  EXPECT_EQ(english_stem(""), "");
  EXPECT_EQ(english_stem("'''"), "'");  // an initial apostrophe, then Step 0's
}

// What both stores index and search: FTS5's unicode61 words (accents removed,
// lower case, punctuation a separator), each stemmed.
TEST(EnglishStemmer, StemmedTextOfTheStores) {
  EXPECT_EQ(store::stemmed_text("Gold Deposits of Mining sites"), "gold deposit of mine site");
  EXPECT_EQ(store::stemmed_text("D\xc3\xa9p\xc3\xb4ts min\xc3\xa9raux"), "depot mineraux");
  EXPECT_EQ(store::stemmed_text("O'Brien's gold_bearing veins, 3.5 Mt/a"), "o brien s gold bear vein 3 5 mt a");
  EXPECT_EQ(store::stemmed_text(""), "");
  EXPECT_EQ(store::full_text_words("Mines mines 1990 mined"), (std::vector<std::string>{"mined", "mines"}));
}

// Snowball's own implementation, when the system has it (Debian libstemmer0d).
class Libstemmer {
 public:
  Libstemmer() {
    handle_ = dlopen("libstemmer.so.0d", RTLD_NOW);
    if (!handle_) return;
    create_ = reinterpret_cast<void* (*)(const char*, const char*)>(dlsym(handle_, "sb_stemmer_new"));
    stem_ = reinterpret_cast<const unsigned char* (*)(void*, const unsigned char*, int)>(
        dlsym(handle_, "sb_stemmer_stem"));
    length_ = reinterpret_cast<int (*)(void*)>(dlsym(handle_, "sb_stemmer_length"));
    remove_ = reinterpret_cast<void (*)(void*)>(dlsym(handle_, "sb_stemmer_delete"));
    if (create_ && stem_ && length_ && remove_) stemmer_ = create_("english", "UTF_8");
  }
  ~Libstemmer() {
    if (stemmer_) remove_(stemmer_);
    if (handle_) dlclose(handle_);
  }
  Libstemmer(const Libstemmer&) = delete;
  Libstemmer& operator=(const Libstemmer&) = delete;
  bool present() const { return stemmer_ != nullptr; }
  std::string stem(const std::string& w) {
    const auto* s = stem_(stemmer_, reinterpret_cast<const unsigned char*>(w.data()), static_cast<int>(w.size()));
    return std::string(reinterpret_cast<const char*>(s), static_cast<std::size_t>(length_(stemmer_)));
  }

 private:
  void* handle_ = nullptr;
  void* stemmer_ = nullptr;
  void* (*create_)(const char*, const char*) = nullptr;
  const unsigned char* (*stem_)(void*, const unsigned char*, int) = nullptr;
  int (*length_)(void*) = nullptr;
  void (*remove_)(void*) = nullptr;
};

TEST(EnglishStemmer, SameAsSnowballsLibstemmer) {
  Libstemmer snowball;
  if (!snowball.present()) GTEST_SKIP() << "no libstemmer.so.0d on this system";
  const char* roots[] = {"mine", "deposit", "explor", "geolog", "nation", "condit", "sensit", "hope", "run",
                         "fall", "hiss", "fizz", "troubl", "conflat", "siz", "tan", "agree", "feed", "cry",
                         "say", "happ", "generat", "commun", "arsen", "vial", "formal", "electr", "activ",
                         "adjust", "depend", "adopt", "bowdler", "controll", "roll", "analog", "radic",
                         "differ", "valen", "hesit", "digit", "triplic", "goodn", "reviv", "allow", "infer",
                         "airlin", "gyroscop", "defens", "irrit", "replac", "probat", "ceas", "knight",
                         "kne", "knav", "consol", "conspir", "sky", "dy", "ly", "ti", "id", "ugl", "earl",
                         "onl", "singl", "gentl", "news", "inn", "out", "cann", "herr", "earr", "proc",
                         "exc", "succ", "y", "ay", "oy", "uy", "yy", "bey", "a", "e", "i", "o", "u", "b",
                         "ab", "eb", "bab", "beeb", "ow", "ax", "ey", "lat", "abl", "iz", "izz", "ee"};
  const char* suffixes[] = {"", "s", "es", "ies", "ied", "sses", "us", "ss", "'s", "'", "'s'", "eed", "eedly",
                            "ed", "edly", "ing", "ingly", "y", "ly", "li", "tional", "enci", "anci", "abli",
                            "entli", "izer", "ization", "ational", "ation", "ator", "alism", "aliti", "alli",
                            "fulness", "ousli", "ousness", "iveness", "iviti", "biliti", "bli", "ogi", "logi",
                            "fulli", "lessli", "alize", "icate", "iciti", "ical", "ful", "ness", "ative", "al",
                            "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism",
                            "ate", "iti", "ous", "ive", "ize", "ion", "sion", "tion", "e", "l", "ll", "ings",
                            "ations", "ements", "fulnesses", "alities"};
  int compared = 0;
  for (const char* root : roots)
    for (const char* suffix : suffixes)
      for (const char* prefix : {"", "'", "re"}) {
        const std::string word = std::string(prefix) + root + suffix;
        EXPECT_EQ(english_stem(word), snowball.stem(word)) << word;
        ++compared;
      }
  EXPECT_GT(compared, 20000);
}

}  // namespace
}  // namespace amis
