#pragma once
// Full Unicode case folding (CaseFolding.txt, statuses C and F) in PostgreSQL 15, which
// has no casefold(): what the GeoPackage store's CASEI() gets from ICU's u_strFoldCase
// (store/gpkg/filter_functions.cpp), so that CASEI('Straße') = CASEI('STRASSE') on both
// stores. ICU's lower() first (amis_casei), then here the characters of a lower-cased
// text whose folding differs: 108 one to one (translate: final sigma, long s, micro sign,
// Cherokee ...) and 75 one to many (replace, only when one of them occurs: ß to ss, the
// ligatures, Greek with ypogegrammeni ...). Written by scripts/generate_pg_case_folding.py from str.casefold()
// (Unicode 14) by checking, for every code point x, that this of lower(x) is casefold(x).
// A part of pg_schema.cpp's schema_parts(), before the filter functions that call it.
namespace amis::store::postgis {

inline constexpr const char* kCaseFolding = R"SQL(
CREATE OR REPLACE FUNCTION amis_fold_many(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace($1
      , U&'\00DF', U&'\0073\0073')
      , U&'\0149', U&'\02BC\006E')
      , U&'\01F0', U&'\006A\030C')
      , U&'\0390', U&'\03B9\0308\0301')
      , U&'\03B0', U&'\03C5\0308\0301')
      , U&'\0587', U&'\0565\0582')
      , U&'\1E96', U&'\0068\0331')
      , U&'\1E97', U&'\0074\0308')
      , U&'\1E98', U&'\0077\030A')
      , U&'\1E99', U&'\0079\030A')
      , U&'\1E9A', U&'\0061\02BE')
      , U&'\1F50', U&'\03C5\0313')
      , U&'\1F52', U&'\03C5\0313\0300')
      , U&'\1F54', U&'\03C5\0313\0301')
      , U&'\1F56', U&'\03C5\0313\0342')
      , U&'\1F80', U&'\1F00\03B9')
      , U&'\1F81', U&'\1F01\03B9')
      , U&'\1F82', U&'\1F02\03B9')
      , U&'\1F83', U&'\1F03\03B9')
      , U&'\1F84', U&'\1F04\03B9')
      , U&'\1F85', U&'\1F05\03B9')
      , U&'\1F86', U&'\1F06\03B9')
      , U&'\1F87', U&'\1F07\03B9')
      , U&'\1F90', U&'\1F20\03B9')
      , U&'\1F91', U&'\1F21\03B9')
      , U&'\1F92', U&'\1F22\03B9')
      , U&'\1F93', U&'\1F23\03B9')
      , U&'\1F94', U&'\1F24\03B9')
      , U&'\1F95', U&'\1F25\03B9')
      , U&'\1F96', U&'\1F26\03B9')
      , U&'\1F97', U&'\1F27\03B9')
      , U&'\1FA0', U&'\1F60\03B9')
      , U&'\1FA1', U&'\1F61\03B9')
      , U&'\1FA2', U&'\1F62\03B9')
      , U&'\1FA3', U&'\1F63\03B9')
      , U&'\1FA4', U&'\1F64\03B9')
      , U&'\1FA5', U&'\1F65\03B9')
      , U&'\1FA6', U&'\1F66\03B9')
      , U&'\1FA7', U&'\1F67\03B9')
      , U&'\1FB2', U&'\1F70\03B9')
      , U&'\1FB3', U&'\03B1\03B9')
      , U&'\1FB4', U&'\03AC\03B9')
      , U&'\1FB6', U&'\03B1\0342')
      , U&'\1FB7', U&'\03B1\0342\03B9')
      , U&'\1FC2', U&'\1F74\03B9')
      , U&'\1FC3', U&'\03B7\03B9')
      , U&'\1FC4', U&'\03AE\03B9')
      , U&'\1FC6', U&'\03B7\0342')
      , U&'\1FC7', U&'\03B7\0342\03B9')
      , U&'\1FD2', U&'\03B9\0308\0300')
      , U&'\1FD3', U&'\03B9\0308\0301')
      , U&'\1FD6', U&'\03B9\0342')
      , U&'\1FD7', U&'\03B9\0308\0342')
      , U&'\1FE2', U&'\03C5\0308\0300')
      , U&'\1FE3', U&'\03C5\0308\0301')
      , U&'\1FE4', U&'\03C1\0313')
      , U&'\1FE6', U&'\03C5\0342')
      , U&'\1FE7', U&'\03C5\0308\0342')
      , U&'\1FF2', U&'\1F7C\03B9')
      , U&'\1FF3', U&'\03C9\03B9')
      , U&'\1FF4', U&'\03CE\03B9')
      , U&'\1FF6', U&'\03C9\0342')
      , U&'\1FF7', U&'\03C9\0342\03B9')
      , U&'\FB00', U&'\0066\0066')
      , U&'\FB01', U&'\0066\0069')
      , U&'\FB02', U&'\0066\006C')
      , U&'\FB03', U&'\0066\0066\0069')
      , U&'\FB04', U&'\0066\0066\006C')
      , U&'\FB05', U&'\0073\0074')
      , U&'\FB06', U&'\0073\0074')
      , U&'\FB13', U&'\0574\0576')
      , U&'\FB14', U&'\0574\0565')
      , U&'\FB15', U&'\0574\056B')
      , U&'\FB16', U&'\057E\0576')
      , U&'\FB17', U&'\0574\056D')
$$;
CREATE OR REPLACE FUNCTION amis_fold_translate(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT translate($1,
      U&'\00B5\017F\0345\03C2\03D0\03D1\03D5\03D6\03F0\03F1\03F5\13F8\13F9\13FA\13FB\13FC\13FD\1C80\1C81\1C82' ||
      U&'\1C83\1C84\1C85\1C86\1C87\1C88\1E9B\1FBE\AB70\AB71\AB72\AB73\AB74\AB75\AB76\AB77\AB78\AB79\AB7A\AB7B' ||
      U&'\AB7C\AB7D\AB7E\AB7F\AB80\AB81\AB82\AB83\AB84\AB85\AB86\AB87\AB88\AB89\AB8A\AB8B\AB8C\AB8D\AB8E\AB8F' ||
      U&'\AB90\AB91\AB92\AB93\AB94\AB95\AB96\AB97\AB98\AB99\AB9A\AB9B\AB9C\AB9D\AB9E\AB9F\ABA0\ABA1\ABA2\ABA3' ||
      U&'\ABA4\ABA5\ABA6\ABA7\ABA8\ABA9\ABAA\ABAB\ABAC\ABAD\ABAE\ABAF\ABB0\ABB1\ABB2\ABB3\ABB4\ABB5\ABB6\ABB7' ||
      U&'\ABB8\ABB9\ABBA\ABBB\ABBC\ABBD\ABBE\ABBF',
      U&'\03BC\0073\03B9\03C3\03B2\03B8\03C6\03C0\03BA\03C1\03B5\13F0\13F1\13F2\13F3\13F4\13F5\0432\0434\043E' ||
      U&'\0441\0442\0442\044A\0463\A64B\1E61\03B9\13A0\13A1\13A2\13A3\13A4\13A5\13A6\13A7\13A8\13A9\13AA\13AB' ||
      U&'\13AC\13AD\13AE\13AF\13B0\13B1\13B2\13B3\13B4\13B5\13B6\13B7\13B8\13B9\13BA\13BB\13BC\13BD\13BE\13BF' ||
      U&'\13C0\13C1\13C2\13C3\13C4\13C5\13C6\13C7\13C8\13C9\13CA\13CB\13CC\13CD\13CE\13CF\13D0\13D1\13D2\13D3' ||
      U&'\13D4\13D5\13D6\13D7\13D8\13D9\13DA\13DB\13DC\13DD\13DE\13DF\13E0\13E1\13E2\13E3\13E4\13E5\13E6\13E7' ||
      U&'\13E8\13E9\13EA\13EB\13EC\13ED\13EE\13EF') $$;
-- Not STRICT, so that it is inlined (a CASE is not strict): the common text, without
-- any of those characters, costs one regular expression test (translate() alone costs
-- a scan of its 108 characters for each character of the text).
CREATE OR REPLACE FUNCTION amis_fold_lower(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN $1 ~ (
      U&'\005B\00B5\00DF\0149\017F\01F0\0345\0390\03B0\03C2\03D0\03D1\03D5\03D6\03F0\03F1\03F5\0587\13F8\13F9' ||
      U&'\13FA\13FB\13FC\13FD\1C80\1C81\1C82\1C83\1C84\1C85\1C86\1C87\1C88\1E96\1E97\1E98\1E99\1E9A\1E9B\1F50' ||
      U&'\1F52\1F54\1F56\1F80\1F81\1F82\1F83\1F84\1F85\1F86\1F87\1F90\1F91\1F92\1F93\1F94\1F95\1F96\1F97\1FA0' ||
      U&'\1FA1\1FA2\1FA3\1FA4\1FA5\1FA6\1FA7\1FB2\1FB3\1FB4\1FB6\1FB7\1FBE\1FC2\1FC3\1FC4\1FC6\1FC7\1FD2\1FD3' ||
      U&'\1FD6\1FD7\1FE2\1FE3\1FE4\1FE6\1FE7\1FF2\1FF3\1FF4\1FF6\1FF7\AB70\AB71\AB72\AB73\AB74\AB75\AB76\AB77' ||
      U&'\AB78\AB79\AB7A\AB7B\AB7C\AB7D\AB7E\AB7F\AB80\AB81\AB82\AB83\AB84\AB85\AB86\AB87\AB88\AB89\AB8A\AB8B' ||
      U&'\AB8C\AB8D\AB8E\AB8F\AB90\AB91\AB92\AB93\AB94\AB95\AB96\AB97\AB98\AB99\AB9A\AB9B\AB9C\AB9D\AB9E\AB9F' ||
      U&'\ABA0\ABA1\ABA2\ABA3\ABA4\ABA5\ABA6\ABA7\ABA8\ABA9\ABAA\ABAB\ABAC\ABAD\ABAE\ABAF\ABB0\ABB1\ABB2\ABB3' ||
      U&'\ABB4\ABB5\ABB6\ABB7\ABB8\ABB9\ABBA\ABBB\ABBC\ABBD\ABBE\ABBF\FB00\FB01\FB02\FB03\FB04\FB05\FB06\FB13' ||
      U&'\FB14\FB15\FB16\FB17\005D')
  THEN amis_fold_many(amis_fold_translate($1)) ELSE $1 END $$;
)SQL";

}  // namespace amis::store::postgis
