-- audit compile: rubric bad-input-checks version 1.0.0 (sha256 97b56731fb260a5b), BigQuery, --output cases
-- Audit date 2014-07-01. Reads cases: one row per row of the export, every column text, and source_row numbering the rows as a spreadsheet does (the header is row 1).
-- Columns read: Case Ref, Area, Referred On, Arrest Date, Intel Followed Up, Episodes.
WITH
  cells AS (
    SELECT `source_row` AS `:row`,
      NULLIF(TRIM(`Case Ref`, CODE_POINTS_TO_STRING([9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279])), '') AS `text:case_ref`,
      NULLIF(TRIM(`Area`, CODE_POINTS_TO_STRING([9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279])), '') AS `text:area`,
      NULLIF(TRIM(`Referred On`, CODE_POINTS_TO_STRING([9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279])), '') AS `text:referred_on`,
      NULLIF(TRIM(`Arrest Date`, CODE_POINTS_TO_STRING([9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279])), '') AS `text:arrested_on`,
      NULLIF(TRIM(`Intel Followed Up`, CODE_POINTS_TO_STRING([9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279])), '') AS `text:intel_followed_up`,
      NULLIF(TRIM(`Episodes`, CODE_POINTS_TO_STRING([9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279])), '') AS `text:episodes`,
      (CASE WHEN STRPOS(lower(replace(NULLIF(TRIM(`Case Ref`, CODE_POINTS_TO_STRING([9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279])), ''), CHR(8490), 'k')), 'case') > 0 THEN COALESCE((CASE WHEN STRPOS(NULLIF(TRIM(`Case Ref`, CODE_POINTS_TO_STRING([9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279])), ''), CHR(304)) = 0 THEN REGEXP_REPLACE(lower(replace(NULLIF(TRIM(`Case Ref`, CODE_POINTS_TO_STRING([9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279])), ''), CHR(8490), 'k')), '[\\x{0009}\\x{000A}\\x{000B}\\x{000C}\\x{000D} \\x{00A0}\\x{1680}\\x{2000}\\x{2001}\\x{2002}\\x{2003}\\x{2004}\\x{2005}\\x{2006}\\x{2007}\\x{2008}\\x{2009}\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}_-]+', ' ') END) = 'case ref', FALSE) AND COALESCE((CASE WHEN STRPOS(NULLIF(TRIM(`Area`, CODE_POINTS_TO_STRING([9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279])), ''), CHR(304)) = 0 THEN REGEXP_REPLACE(lower(replace(NULLIF(TRIM(`Area`, CODE_POINTS_TO_STRING([9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279])), ''), CHR(8490), 'k')), '[\\x{0009}\\x{000A}\\x{000B}\\x{000C}\\x{000D} \\x{00A0}\\x{1680}\\x{2000}\\x{2001}\\x{2002}\\x{2003}\\x{2004}\\x{2005}\\x{2006}\\x{2007}\\x{2008}\\x{2009}\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}_-]+', ' ') END) = 'area', FALSE) AND COALESCE((CASE WHEN STRPOS(NULLIF(TRIM(`Referred On`, CODE_POINTS_TO_STRING([9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279])), ''), CHR(304)) = 0 THEN REGEXP_REPLACE(lower(replace(NULLIF(TRIM(`Referred On`, CODE_POINTS_TO_STRING([9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279])), ''), CHR(8490), 'k')), '[\\x{0009}\\x{000A}\\x{000B}\\x{000C}\\x{000D} \\x{00A0}\\x{1680}\\x{2000}\\x{2001}\\x{2002}\\x{2003}\\x{2004}\\x{2005}\\x{2006}\\x{2007}\\x{2008}\\x{2009}\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}_-]+', ' ') END) = 'referred on', FALSE) AND COALESCE((CASE WHEN STRPOS(NULLIF(TRIM(`Arrest Date`, CODE_POINTS_TO_STRING([9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279])), ''), CHR(304)) = 0 THEN REGEXP_REPLACE(lower(replace(NULLIF(TRIM(`Arrest Date`, CODE_POINTS_TO_STRING([9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279])), ''), CHR(8490), 'k')), '[\\x{0009}\\x{000A}\\x{000B}\\x{000C}\\x{000D} \\x{00A0}\\x{1680}\\x{2000}\\x{2001}\\x{2002}\\x{2003}\\x{2004}\\x{2005}\\x{2006}\\x{2007}\\x{2008}\\x{2009}\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}_-]+', ' ') END) = 'arrest date', FALSE) AND COALESCE((CASE WHEN STRPOS(NULLIF(TRIM(`Intel Followed Up`, CODE_POINTS_TO_STRING([9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279])), ''), CHR(304)) = 0 THEN REGEXP_REPLACE(lower(replace(NULLIF(TRIM(`Intel Followed Up`, CODE_POINTS_TO_STRING([9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279])), ''), CHR(8490), 'k')), '[\\x{0009}\\x{000A}\\x{000B}\\x{000C}\\x{000D} \\x{00A0}\\x{1680}\\x{2000}\\x{2001}\\x{2002}\\x{2003}\\x{2004}\\x{2005}\\x{2006}\\x{2007}\\x{2008}\\x{2009}\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}_-]+', ' ') END) = 'intel followed up', FALSE) AND COALESCE((CASE WHEN STRPOS(NULLIF(TRIM(`Episodes`, CODE_POINTS_TO_STRING([9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279])), ''), CHR(304)) = 0 THEN REGEXP_REPLACE(lower(replace(NULLIF(TRIM(`Episodes`, CODE_POINTS_TO_STRING([9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279])), ''), CHR(8490), 'k')), '[\\x{0009}\\x{000A}\\x{000B}\\x{000C}\\x{000D} \\x{00A0}\\x{1680}\\x{2000}\\x{2001}\\x{2002}\\x{2003}\\x{2004}\\x{2005}\\x{2006}\\x{2007}\\x{2008}\\x{2009}\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}_-]+', ' ') END) = 'episodes', FALSE) ELSE FALSE END) AS `:repeats header`
    FROM cases
    WHERE NULLIF(TRIM(`Case Ref`, CODE_POINTS_TO_STRING([9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279])), '') IS NOT NULL OR NULLIF(TRIM(`Area`, CODE_POINTS_TO_STRING([9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279])), '') IS NOT NULL OR NULLIF(TRIM(`Referred On`, CODE_POINTS_TO_STRING([9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279])), '') IS NOT NULL OR NULLIF(TRIM(`Arrest Date`, CODE_POINTS_TO_STRING([9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279])), '') IS NOT NULL OR NULLIF(TRIM(`Intel Followed Up`, CODE_POINTS_TO_STRING([9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279])), '') IS NOT NULL OR NULLIF(TRIM(`Episodes`, CODE_POINTS_TO_STRING([9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279])), '') IS NOT NULL
  ),
  quick AS (
    SELECT *,
      (CASE WHEN `text:area` = 'cse' THEN 'cse' WHEN `text:area` = 'missing' THEN 'missing' WHEN `text:area` = 'custody' THEN 'custody' END) AS `quick:area`,
      (CASE `text:intel_followed_up` WHEN 'y' THEN TRUE WHEN 'n' THEN FALSE WHEN 'Y' THEN TRUE WHEN 'N' THEN FALSE WHEN 'yes' THEN TRUE WHEN 'no' THEN FALSE WHEN 'YES' THEN TRUE WHEN 'NO' THEN FALSE WHEN 'Yes' THEN TRUE WHEN 'No' THEN FALSE WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE WHEN 'TRUE' THEN TRUE WHEN 'FALSE' THEN FALSE WHEN 'True' THEN TRUE WHEN 'False' THEN FALSE WHEN '1' THEN TRUE WHEN '0' THEN FALSE END) AS `quick:intel_followed_up`,
      (CASE WHEN REGEXP_CONTAINS(`text:episodes`, '^(?:-?[0-9]{1,18})$') THEN CAST(`text:episodes` AS INT64) END) AS `quick:episodes`
    FROM cells
  ),
  parts AS (
    SELECT *,
      NULLIF(REGEXP_EXTRACT(`text:referred_on`, '^(?:([0-9]{4})-(?:[0-9]{1,2})-(?:[0-9]{1,2}))$'), '') AS `part:referred_on:isoYear`,
      NULLIF(REGEXP_EXTRACT(`text:referred_on`, '^(?:(?:[0-9]{4})-([0-9]{1,2})-(?:[0-9]{1,2}))$'), '') AS `part:referred_on:isoMonth`,
      NULLIF(REGEXP_EXTRACT(`text:referred_on`, '^(?:(?:[0-9]{4})-(?:[0-9]{1,2})-([0-9]{1,2}))$'), '') AS `part:referred_on:isoDay`,
      NULLIF(REGEXP_EXTRACT(`text:referred_on`, '^(?:([0-9]{1,2})/(?:[0-9]{1,2})/(?:[0-9]+))$'), '') AS `part:referred_on:dayFirstDay`,
      NULLIF(REGEXP_EXTRACT(`text:referred_on`, '^(?:(?:[0-9]{1,2})/([0-9]{1,2})/(?:[0-9]+))$'), '') AS `part:referred_on:dayFirstMonth`,
      NULLIF(REGEXP_EXTRACT(`text:referred_on`, '^(?:(?:[0-9]{1,2})/(?:[0-9]{1,2})/([0-9]+))$'), '') AS `part:referred_on:dayFirstYear`,
      NULLIF(REGEXP_EXTRACT(`text:arrested_on`, '^(?:([0-9]{4})-(?:[0-9]{1,2})-(?:[0-9]{1,2}))$'), '') AS `part:arrested_on:isoYear`,
      NULLIF(REGEXP_EXTRACT(`text:arrested_on`, '^(?:(?:[0-9]{4})-([0-9]{1,2})-(?:[0-9]{1,2}))$'), '') AS `part:arrested_on:isoMonth`,
      NULLIF(REGEXP_EXTRACT(`text:arrested_on`, '^(?:(?:[0-9]{4})-(?:[0-9]{1,2})-([0-9]{1,2}))$'), '') AS `part:arrested_on:isoDay`,
      NULLIF(REGEXP_EXTRACT(`text:arrested_on`, '^(?:([0-9]{1,2})/(?:[0-9]{1,2})/(?:[0-9]+))$'), '') AS `part:arrested_on:dayFirstDay`,
      NULLIF(REGEXP_EXTRACT(`text:arrested_on`, '^(?:(?:[0-9]{1,2})/([0-9]{1,2})/(?:[0-9]+))$'), '') AS `part:arrested_on:dayFirstMonth`,
      NULLIF(REGEXP_EXTRACT(`text:arrested_on`, '^(?:(?:[0-9]{1,2})/(?:[0-9]{1,2})/([0-9]+))$'), '') AS `part:arrested_on:dayFirstYear`,
      (CASE WHEN `quick:episodes` IS NULL AND `text:episodes` IS NOT NULL THEN NULLIF(REGEXP_EXTRACT(`text:episodes`, '^(?:([+-]?[0-9]+))$'), '') END) AS `part:episodes:whole`,
      (CASE WHEN `quick:episodes` IS NULL AND `text:episodes` IS NOT NULL THEN REGEXP_EXTRACT(`text:episodes`, '^(?:[+-]?0*([0-9]*))$') END) AS `part:episodes:digits`
    FROM quick
  ),
  readings AS (
    SELECT *,
      `text:case_ref` AS `case_ref`,
      (CASE WHEN `quick:area` IS NOT NULL THEN `quick:area` ELSE (CASE (CASE WHEN STRPOS(`text:area`, CHR(304)) = 0 THEN REGEXP_REPLACE(lower(replace(`text:area`, CHR(8490), 'k')), '[\\x{0009}\\x{000A}\\x{000B}\\x{000C}\\x{000D} \\x{00A0}\\x{1680}\\x{2000}\\x{2001}\\x{2002}\\x{2003}\\x{2004}\\x{2005}\\x{2006}\\x{2007}\\x{2008}\\x{2009}\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}_-]+', '-') END) WHEN 'custody' THEN 'custody' WHEN 'missing' THEN 'missing' WHEN 'cse' THEN 'cse' END) END) AS `area`,
      (CASE WHEN (((`part:referred_on:isoYear` IS NOT NULL) OR ((`part:referred_on:dayFirstYear` IS NOT NULL) AND (CHAR_LENGTH(`part:referred_on:dayFirstYear`) = 4))) AND ((CASE WHEN (`part:referred_on:isoYear` IS NOT NULL) THEN CAST(`part:referred_on:isoYear` AS INT64) WHEN (`part:referred_on:dayFirstYear` IS NOT NULL) AND (CHAR_LENGTH(`part:referred_on:dayFirstYear`) = 4) THEN CAST(`part:referred_on:dayFirstYear` AS INT64) END) >= 1 AND (CASE WHEN (`part:referred_on:isoYear` IS NOT NULL) THEN CAST(`part:referred_on:isoMonth` AS INT64) ELSE CAST(`part:referred_on:dayFirstMonth` AS INT64) END) BETWEEN 1 AND 12 AND (CASE WHEN (`part:referred_on:isoYear` IS NOT NULL) THEN CAST(`part:referred_on:isoDay` AS INT64) ELSE CAST(`part:referred_on:dayFirstDay` AS INT64) END) BETWEEN 1 AND (CASE WHEN (CASE WHEN (`part:referred_on:isoYear` IS NOT NULL) THEN CAST(`part:referred_on:isoMonth` AS INT64) ELSE CAST(`part:referred_on:dayFirstMonth` AS INT64) END) = 2 THEN (CASE WHEN ((MOD((CASE WHEN (`part:referred_on:isoYear` IS NOT NULL) THEN CAST(`part:referred_on:isoYear` AS INT64) WHEN (`part:referred_on:dayFirstYear` IS NOT NULL) AND (CHAR_LENGTH(`part:referred_on:dayFirstYear`) = 4) THEN CAST(`part:referred_on:dayFirstYear` AS INT64) END), 4) = 0 AND MOD((CASE WHEN (`part:referred_on:isoYear` IS NOT NULL) THEN CAST(`part:referred_on:isoYear` AS INT64) WHEN (`part:referred_on:dayFirstYear` IS NOT NULL) AND (CHAR_LENGTH(`part:referred_on:dayFirstYear`) = 4) THEN CAST(`part:referred_on:dayFirstYear` AS INT64) END), 100) <> 0) OR MOD((CASE WHEN (`part:referred_on:isoYear` IS NOT NULL) THEN CAST(`part:referred_on:isoYear` AS INT64) WHEN (`part:referred_on:dayFirstYear` IS NOT NULL) AND (CHAR_LENGTH(`part:referred_on:dayFirstYear`) = 4) THEN CAST(`part:referred_on:dayFirstYear` AS INT64) END), 400) = 0) THEN 29 ELSE 28 END) WHEN (CASE WHEN (`part:referred_on:isoYear` IS NOT NULL) THEN CAST(`part:referred_on:isoMonth` AS INT64) ELSE CAST(`part:referred_on:dayFirstMonth` AS INT64) END) IN (4, 6, 9, 11) THEN 30 ELSE 31 END)) AND TRUE) THEN DATETIME((CASE WHEN (`part:referred_on:isoYear` IS NOT NULL) THEN CAST(`part:referred_on:isoYear` AS INT64) WHEN (`part:referred_on:dayFirstYear` IS NOT NULL) AND (CHAR_LENGTH(`part:referred_on:dayFirstYear`) = 4) THEN CAST(`part:referred_on:dayFirstYear` AS INT64) END), (CASE WHEN (`part:referred_on:isoYear` IS NOT NULL) THEN CAST(`part:referred_on:isoMonth` AS INT64) ELSE CAST(`part:referred_on:dayFirstMonth` AS INT64) END), (CASE WHEN (`part:referred_on:isoYear` IS NOT NULL) THEN CAST(`part:referred_on:isoDay` AS INT64) ELSE CAST(`part:referred_on:dayFirstDay` AS INT64) END), 0, 0, 0) END) AS `referred_on`,
      (CASE WHEN (((`part:arrested_on:isoYear` IS NOT NULL) OR ((`part:arrested_on:dayFirstYear` IS NOT NULL) AND (CHAR_LENGTH(`part:arrested_on:dayFirstYear`) = 4))) AND ((CASE WHEN (`part:arrested_on:isoYear` IS NOT NULL) THEN CAST(`part:arrested_on:isoYear` AS INT64) WHEN (`part:arrested_on:dayFirstYear` IS NOT NULL) AND (CHAR_LENGTH(`part:arrested_on:dayFirstYear`) = 4) THEN CAST(`part:arrested_on:dayFirstYear` AS INT64) END) >= 1 AND (CASE WHEN (`part:arrested_on:isoYear` IS NOT NULL) THEN CAST(`part:arrested_on:isoMonth` AS INT64) ELSE CAST(`part:arrested_on:dayFirstMonth` AS INT64) END) BETWEEN 1 AND 12 AND (CASE WHEN (`part:arrested_on:isoYear` IS NOT NULL) THEN CAST(`part:arrested_on:isoDay` AS INT64) ELSE CAST(`part:arrested_on:dayFirstDay` AS INT64) END) BETWEEN 1 AND (CASE WHEN (CASE WHEN (`part:arrested_on:isoYear` IS NOT NULL) THEN CAST(`part:arrested_on:isoMonth` AS INT64) ELSE CAST(`part:arrested_on:dayFirstMonth` AS INT64) END) = 2 THEN (CASE WHEN ((MOD((CASE WHEN (`part:arrested_on:isoYear` IS NOT NULL) THEN CAST(`part:arrested_on:isoYear` AS INT64) WHEN (`part:arrested_on:dayFirstYear` IS NOT NULL) AND (CHAR_LENGTH(`part:arrested_on:dayFirstYear`) = 4) THEN CAST(`part:arrested_on:dayFirstYear` AS INT64) END), 4) = 0 AND MOD((CASE WHEN (`part:arrested_on:isoYear` IS NOT NULL) THEN CAST(`part:arrested_on:isoYear` AS INT64) WHEN (`part:arrested_on:dayFirstYear` IS NOT NULL) AND (CHAR_LENGTH(`part:arrested_on:dayFirstYear`) = 4) THEN CAST(`part:arrested_on:dayFirstYear` AS INT64) END), 100) <> 0) OR MOD((CASE WHEN (`part:arrested_on:isoYear` IS NOT NULL) THEN CAST(`part:arrested_on:isoYear` AS INT64) WHEN (`part:arrested_on:dayFirstYear` IS NOT NULL) AND (CHAR_LENGTH(`part:arrested_on:dayFirstYear`) = 4) THEN CAST(`part:arrested_on:dayFirstYear` AS INT64) END), 400) = 0) THEN 29 ELSE 28 END) WHEN (CASE WHEN (`part:arrested_on:isoYear` IS NOT NULL) THEN CAST(`part:arrested_on:isoMonth` AS INT64) ELSE CAST(`part:arrested_on:dayFirstMonth` AS INT64) END) IN (4, 6, 9, 11) THEN 30 ELSE 31 END)) AND TRUE) THEN DATETIME((CASE WHEN (`part:arrested_on:isoYear` IS NOT NULL) THEN CAST(`part:arrested_on:isoYear` AS INT64) WHEN (`part:arrested_on:dayFirstYear` IS NOT NULL) AND (CHAR_LENGTH(`part:arrested_on:dayFirstYear`) = 4) THEN CAST(`part:arrested_on:dayFirstYear` AS INT64) END), (CASE WHEN (`part:arrested_on:isoYear` IS NOT NULL) THEN CAST(`part:arrested_on:isoMonth` AS INT64) ELSE CAST(`part:arrested_on:dayFirstMonth` AS INT64) END), (CASE WHEN (`part:arrested_on:isoYear` IS NOT NULL) THEN CAST(`part:arrested_on:isoDay` AS INT64) ELSE CAST(`part:arrested_on:dayFirstDay` AS INT64) END), 0, 0, 0) END) AS `arrested_on`,
      (CASE WHEN `quick:intel_followed_up` IS NOT NULL THEN `quick:intel_followed_up` ELSE (CASE WHEN lower(`text:intel_followed_up`) IN ('y', 'yes', 'true', '1') THEN TRUE WHEN lower(`text:intel_followed_up`) IN ('n', 'no', 'false', '0') THEN FALSE END) END) AS `intel_followed_up`,
      (CASE WHEN `quick:episodes` IS NOT NULL THEN `quick:episodes` ELSE (CASE WHEN (`part:episodes:whole` IS NOT NULL AND (CHAR_LENGTH(`part:episodes:digits`) < 19 OR (CHAR_LENGTH(`part:episodes:digits`) = 19 AND (`part:episodes:digits` <= '9223372036854775807' OR ((SUBSTR(`text:episodes`, 1, 1) = '-') AND `part:episodes:digits` = '9223372036854775808'))))) THEN CAST(`text:episodes` AS INT64) END) END) AS `episodes`
    FROM parts
  ),
  checked AS (
    SELECT *,
      NULL AS `problem:case_ref`,
      (CASE WHEN `text:area` IS NULL OR `area` IS NOT NULL THEN NULL ELSE 'not one of cse, missing, custody' END) AS `problem:area`,
      (CASE WHEN `text:referred_on` IS NULL OR `referred_on` IS NOT NULL THEN NULL ELSE (CASE WHEN NOT (`part:referred_on:isoYear` IS NOT NULL) AND NOT (`part:referred_on:dayFirstYear` IS NOT NULL) THEN 'not a date: write it as 03/06/2014 or 2014-06-03'
          WHEN (`part:referred_on:dayFirstYear` IS NOT NULL) AND NOT (CHAR_LENGTH(`part:referred_on:dayFirstYear`) = 4) THEN 'the year must have four digits (03/06/2014, not 03/06/14)'
          WHEN NOT ((CASE WHEN (`part:referred_on:isoYear` IS NOT NULL) THEN CAST(`part:referred_on:isoYear` AS INT64) WHEN (`part:referred_on:dayFirstYear` IS NOT NULL) AND (CHAR_LENGTH(`part:referred_on:dayFirstYear`) = 4) THEN CAST(`part:referred_on:dayFirstYear` AS INT64) END) >= 1 AND (CASE WHEN (`part:referred_on:isoYear` IS NOT NULL) THEN CAST(`part:referred_on:isoMonth` AS INT64) ELSE CAST(`part:referred_on:dayFirstMonth` AS INT64) END) BETWEEN 1 AND 12 AND (CASE WHEN (`part:referred_on:isoYear` IS NOT NULL) THEN CAST(`part:referred_on:isoDay` AS INT64) ELSE CAST(`part:referred_on:dayFirstDay` AS INT64) END) BETWEEN 1 AND (CASE WHEN (CASE WHEN (`part:referred_on:isoYear` IS NOT NULL) THEN CAST(`part:referred_on:isoMonth` AS INT64) ELSE CAST(`part:referred_on:dayFirstMonth` AS INT64) END) = 2 THEN (CASE WHEN ((MOD((CASE WHEN (`part:referred_on:isoYear` IS NOT NULL) THEN CAST(`part:referred_on:isoYear` AS INT64) WHEN (`part:referred_on:dayFirstYear` IS NOT NULL) AND (CHAR_LENGTH(`part:referred_on:dayFirstYear`) = 4) THEN CAST(`part:referred_on:dayFirstYear` AS INT64) END), 4) = 0 AND MOD((CASE WHEN (`part:referred_on:isoYear` IS NOT NULL) THEN CAST(`part:referred_on:isoYear` AS INT64) WHEN (`part:referred_on:dayFirstYear` IS NOT NULL) AND (CHAR_LENGTH(`part:referred_on:dayFirstYear`) = 4) THEN CAST(`part:referred_on:dayFirstYear` AS INT64) END), 100) <> 0) OR MOD((CASE WHEN (`part:referred_on:isoYear` IS NOT NULL) THEN CAST(`part:referred_on:isoYear` AS INT64) WHEN (`part:referred_on:dayFirstYear` IS NOT NULL) AND (CHAR_LENGTH(`part:referred_on:dayFirstYear`) = 4) THEN CAST(`part:referred_on:dayFirstYear` AS INT64) END), 400) = 0) THEN 29 ELSE 28 END) WHEN (CASE WHEN (`part:referred_on:isoYear` IS NOT NULL) THEN CAST(`part:referred_on:isoMonth` AS INT64) ELSE CAST(`part:referred_on:dayFirstMonth` AS INT64) END) IN (4, 6, 9, 11) THEN 30 ELSE 31 END)) THEN (CASE WHEN (`part:referred_on:isoYear` IS NOT NULL) THEN 'no such date' ELSE CONCAT('no such date: day ', CAST(CAST(`part:referred_on:dayFirstDay` AS INT64) AS STRING), ' of month ', CAST(CAST(`part:referred_on:dayFirstMonth` AS INT64) AS STRING), (CASE WHEN CAST(`part:referred_on:dayFirstMonth` AS INT64) > 12 AND CAST(`part:referred_on:dayFirstDay` AS INT64) <= 12 THEN ' (dates are read day first: 03/06/2014 is 3 June 2014)' ELSE '' END)) END)
          ELSE NULL END) END) AS `problem:referred_on`,
      (CASE WHEN `text:arrested_on` IS NULL OR `arrested_on` IS NOT NULL THEN NULL ELSE (CASE WHEN NOT (`part:arrested_on:isoYear` IS NOT NULL) AND NOT (`part:arrested_on:dayFirstYear` IS NOT NULL) THEN 'not a date: write it as 03/06/2014 or 2014-06-03'
          WHEN (`part:arrested_on:dayFirstYear` IS NOT NULL) AND NOT (CHAR_LENGTH(`part:arrested_on:dayFirstYear`) = 4) THEN 'the year must have four digits (03/06/2014, not 03/06/14)'
          WHEN NOT ((CASE WHEN (`part:arrested_on:isoYear` IS NOT NULL) THEN CAST(`part:arrested_on:isoYear` AS INT64) WHEN (`part:arrested_on:dayFirstYear` IS NOT NULL) AND (CHAR_LENGTH(`part:arrested_on:dayFirstYear`) = 4) THEN CAST(`part:arrested_on:dayFirstYear` AS INT64) END) >= 1 AND (CASE WHEN (`part:arrested_on:isoYear` IS NOT NULL) THEN CAST(`part:arrested_on:isoMonth` AS INT64) ELSE CAST(`part:arrested_on:dayFirstMonth` AS INT64) END) BETWEEN 1 AND 12 AND (CASE WHEN (`part:arrested_on:isoYear` IS NOT NULL) THEN CAST(`part:arrested_on:isoDay` AS INT64) ELSE CAST(`part:arrested_on:dayFirstDay` AS INT64) END) BETWEEN 1 AND (CASE WHEN (CASE WHEN (`part:arrested_on:isoYear` IS NOT NULL) THEN CAST(`part:arrested_on:isoMonth` AS INT64) ELSE CAST(`part:arrested_on:dayFirstMonth` AS INT64) END) = 2 THEN (CASE WHEN ((MOD((CASE WHEN (`part:arrested_on:isoYear` IS NOT NULL) THEN CAST(`part:arrested_on:isoYear` AS INT64) WHEN (`part:arrested_on:dayFirstYear` IS NOT NULL) AND (CHAR_LENGTH(`part:arrested_on:dayFirstYear`) = 4) THEN CAST(`part:arrested_on:dayFirstYear` AS INT64) END), 4) = 0 AND MOD((CASE WHEN (`part:arrested_on:isoYear` IS NOT NULL) THEN CAST(`part:arrested_on:isoYear` AS INT64) WHEN (`part:arrested_on:dayFirstYear` IS NOT NULL) AND (CHAR_LENGTH(`part:arrested_on:dayFirstYear`) = 4) THEN CAST(`part:arrested_on:dayFirstYear` AS INT64) END), 100) <> 0) OR MOD((CASE WHEN (`part:arrested_on:isoYear` IS NOT NULL) THEN CAST(`part:arrested_on:isoYear` AS INT64) WHEN (`part:arrested_on:dayFirstYear` IS NOT NULL) AND (CHAR_LENGTH(`part:arrested_on:dayFirstYear`) = 4) THEN CAST(`part:arrested_on:dayFirstYear` AS INT64) END), 400) = 0) THEN 29 ELSE 28 END) WHEN (CASE WHEN (`part:arrested_on:isoYear` IS NOT NULL) THEN CAST(`part:arrested_on:isoMonth` AS INT64) ELSE CAST(`part:arrested_on:dayFirstMonth` AS INT64) END) IN (4, 6, 9, 11) THEN 30 ELSE 31 END)) THEN (CASE WHEN (`part:arrested_on:isoYear` IS NOT NULL) THEN 'no such date' ELSE CONCAT('no such date: day ', CAST(CAST(`part:arrested_on:dayFirstDay` AS INT64) AS STRING), ' of month ', CAST(CAST(`part:arrested_on:dayFirstMonth` AS INT64) AS STRING), (CASE WHEN CAST(`part:arrested_on:dayFirstMonth` AS INT64) > 12 AND CAST(`part:arrested_on:dayFirstDay` AS INT64) <= 12 THEN ' (dates are read day first: 03/06/2014 is 3 June 2014)' ELSE '' END)) END)
          ELSE NULL END) END) AS `problem:arrested_on`,
      (CASE WHEN `text:intel_followed_up` IS NULL OR `intel_followed_up` IS NOT NULL THEN NULL ELSE 'not yes or no: write Y, N, Yes, No, true, false, 1 or 0' END) AS `problem:intel_followed_up`,
      (CASE WHEN `text:episodes` IS NULL OR `episodes` IS NOT NULL THEN NULL ELSE (CASE WHEN `part:episodes:whole` IS NOT NULL THEN 'beyond the range of whole numbers (-9223372036854775808 to 9223372036854775807)' WHEN REGEXP_CONTAINS(`text:episodes`, '^(?:[+-]?[0-9]{1,3}(,[0-9]{3})+)$') THEN 'write whole numbers without thousands separators' ELSE 'not a whole number' END) END) AS `problem:episodes`
    FROM readings
  ),
  scored AS (
    SELECT `:row`, `:readable`,
      CASE WHEN `:readable` THEN `case_ref` END AS `:id`,
      CASE WHEN `:readable` THEN `area` END AS `:area`,
      CAST(NULL AS STRING) AS `:moderated grade`,
      CASE
      WHEN NOT `:readable` THEN NULL
      WHEN TRUE IS NULL THEN (CASE WHEN FALSE THEN 4 ELSE 9 END)
      WHEN NOT TRUE THEN 3
      WHEN `intel_followed_up` THEN 0
      WHEN NOT `intel_followed_up` THEN 1
      WHEN `intel_followed_up` IS NULL THEN 2
      ELSE 9 END AS `outcome:intel-followed-up`,
      CASE
      WHEN NOT `:readable` THEN NULL
      WHEN (NOT (`arrested_on` IS NOT DISTINCT FROM NULL)) IS NULL THEN (CASE WHEN `arrested_on` IS NULL THEN 4 ELSE 9 END)
      WHEN NOT (NOT (`arrested_on` IS NOT DISTINCT FROM NULL)) THEN 3
      WHEN (DATE_DIFF(DATE(`arrested_on`), DATE(`referred_on`), DAY) <= CAST(14 AS INT64)) THEN 0
      WHEN NOT (DATE_DIFF(DATE(`arrested_on`), DATE(`referred_on`), DAY) <= CAST(14 AS INT64)) THEN 1
      WHEN `referred_on` IS NULL OR `arrested_on` IS NULL THEN 2
      ELSE 9 END AS `outcome:arrest-within-14-days`,
      CASE
      WHEN NOT `:readable` THEN NULL
      WHEN (`area` IS NOT DISTINCT FROM 'missing') IS NULL THEN (CASE WHEN `area` IS NULL THEN 4 ELSE 9 END)
      WHEN NOT (`area` IS NOT DISTINCT FROM 'missing') THEN 3
      WHEN (`episodes` < CAST(3 AS INT64)) THEN 0
      WHEN NOT (`episodes` < CAST(3 AS INT64)) THEN 1
      WHEN `episodes` IS NULL THEN 2
      ELSE 9 END AS `outcome:repeat-episodes`
    FROM (SELECT *, NOT `:repeats header`
      AND (`text:area` IS NULL OR `area` IS NOT NULL)
      AND (`text:referred_on` IS NULL OR `referred_on` IS NOT NULL)
      AND (`text:arrested_on` IS NULL OR `arrested_on` IS NOT NULL)
      AND (`text:intel_followed_up` IS NULL OR `intel_followed_up` IS NOT NULL)
      AND (`text:episodes` IS NULL OR `episodes` IS NOT NULL)
      AND NOT (`text:case_ref` IS NULL)
      AND NOT (`text:area` IS NULL) AS `:readable` FROM checked) AS with_readable
  ),
  repeated AS (
    SELECT `:id`, MIN(`:row`) AS `:first row`
    FROM scored
    WHERE `:readable`
    GROUP BY `:id`
    HAVING COUNT(*) > 1
  ),
  firsts AS (
    SELECT scored.*, repeated.`:first row`
    FROM scored LEFT JOIN repeated ON scored.`:id` = repeated.`:id`
    WHERE scored.`:readable`
  ),
  graded AS (
    SELECT *, CASE WHEN (CASE WHEN `outcome:intel-followed-up` IN (1, 2) THEN 1 ELSE 0 END + CASE WHEN `outcome:arrest-within-14-days` IN (1, 2) THEN 1 ELSE 0 END + CASE WHEN `outcome:repeat-episodes` IN (1, 2) THEN 1 ELSE 0 END) = 0 THEN 'good' WHEN `outcome:intel-followed-up` IN (1, 2) THEN 'inadequate' ELSE 'requires-improvement' END AS `:computed grade`
    FROM firsts
    WHERE `:first row` IS NULL OR `:row` = `:first row`
  ),
  final AS (
    SELECT *, CASE WHEN `outcome:intel-followed-up` = 9 THEN CAST(ERROR(CONCAT('cases: row ', CAST(`:row` AS STRING), ': criterion \'intel-followed-up\' could not be evaluated')) AS STRING) WHEN `outcome:arrest-within-14-days` = 9 THEN CAST(ERROR(CONCAT('cases: row ', CAST(`:row` AS STRING), ': criterion \'arrest-within-14-days\' could not be evaluated')) AS STRING) WHEN `outcome:repeat-episodes` = 9 THEN CAST(ERROR(CONCAT('cases: row ', CAST(`:row` AS STRING), ': criterion \'repeat-episodes\' could not be evaluated')) AS STRING) ELSE COALESCE(`:moderated grade`, `:computed grade`) END AS `:grade`
    FROM graded
  ),
  repeats AS (
    SELECT `:row`, 9 AS `order`, 'Case Ref' AS `column`, `:id` AS `value`, CONCAT('the same case reference is already at row ', CAST(`:first row` AS STRING), '; this row is not scored') AS `reason`
    FROM firsts WHERE `:row` <> `:first row`
  ),
  unreadable AS (
    SELECT * FROM checked
    WHERE `:row` IN (SELECT `:row` FROM scored WHERE NOT `:readable`)
  ),
  problems AS (
    SELECT `:row`, -1 AS `order`, '' AS `column`, '' AS `value`, 'this row repeats the header row (were two exports joined together?)' AS `reason` FROM unreadable WHERE `:repeats header`
    UNION ALL
    SELECT `:row`, 0 AS `order`, 'Case Ref' AS `column`, (CASE WHEN CHAR_LENGTH(`text:case_ref`) > 60 THEN CONCAT(SUBSTR(`text:case_ref`, 1, 60), CHR(8230)) ELSE `text:case_ref` END) AS `value`, `problem:case_ref` AS `reason` FROM unreadable WHERE NOT `:repeats header` AND `problem:case_ref` IS NOT NULL
    UNION ALL
    SELECT `:row`, 1 AS `order`, 'Area' AS `column`, (CASE WHEN CHAR_LENGTH(`text:area`) > 60 THEN CONCAT(SUBSTR(`text:area`, 1, 60), CHR(8230)) ELSE `text:area` END) AS `value`, `problem:area` AS `reason` FROM unreadable WHERE NOT `:repeats header` AND `problem:area` IS NOT NULL
    UNION ALL
    SELECT `:row`, 2 AS `order`, 'Referred On' AS `column`, (CASE WHEN CHAR_LENGTH(`text:referred_on`) > 60 THEN CONCAT(SUBSTR(`text:referred_on`, 1, 60), CHR(8230)) ELSE `text:referred_on` END) AS `value`, `problem:referred_on` AS `reason` FROM unreadable WHERE NOT `:repeats header` AND `problem:referred_on` IS NOT NULL
    UNION ALL
    SELECT `:row`, 3 AS `order`, 'Arrest Date' AS `column`, (CASE WHEN CHAR_LENGTH(`text:arrested_on`) > 60 THEN CONCAT(SUBSTR(`text:arrested_on`, 1, 60), CHR(8230)) ELSE `text:arrested_on` END) AS `value`, `problem:arrested_on` AS `reason` FROM unreadable WHERE NOT `:repeats header` AND `problem:arrested_on` IS NOT NULL
    UNION ALL
    SELECT `:row`, 4 AS `order`, 'Intel Followed Up' AS `column`, (CASE WHEN CHAR_LENGTH(`text:intel_followed_up`) > 60 THEN CONCAT(SUBSTR(`text:intel_followed_up`, 1, 60), CHR(8230)) ELSE `text:intel_followed_up` END) AS `value`, `problem:intel_followed_up` AS `reason` FROM unreadable WHERE NOT `:repeats header` AND `problem:intel_followed_up` IS NOT NULL
    UNION ALL
    SELECT `:row`, 5 AS `order`, 'Episodes' AS `column`, (CASE WHEN CHAR_LENGTH(`text:episodes`) > 60 THEN CONCAT(SUBSTR(`text:episodes`, 1, 60), CHR(8230)) ELSE `text:episodes` END) AS `value`, `problem:episodes` AS `reason` FROM unreadable WHERE NOT `:repeats header` AND `problem:episodes` IS NOT NULL
    UNION ALL
    SELECT `:row`, 6 AS `order`, 'Case Ref' AS `column`, '' AS `value`, 'the case reference is empty' AS `reason` FROM unreadable WHERE NOT `:repeats header` AND `text:case_ref` IS NULL
    UNION ALL
    SELECT `:row`, 7 AS `order`, 'Area' AS `column`, '' AS `value`, 'the area is empty, so the case cannot be placed in the table' AS `reason` FROM unreadable WHERE NOT `:repeats header` AND `text:area` IS NULL
  )
SELECT `:id` AS `id`, `:area` AS `area`, `:grade` AS `grade`,
  CASE WHEN `:grade` <> `:computed grade` THEN `:computed grade` END AS `computed_grade`,
  SUBSTR(CONCAT(COALESCE(CONCAT(';', CASE WHEN `outcome:intel-followed-up` IN (1, 2) THEN 'intel-followed-up' END), ''), COALESCE(CONCAT(';', CASE WHEN `outcome:arrest-within-14-days` IN (1, 2) THEN 'arrest-within-14-days' END), ''), COALESCE(CONCAT(';', CASE WHEN `outcome:repeat-episodes` IN (1, 2) THEN 'repeat-episodes' END), '')), 2) AS `not_met`
FROM final
ORDER BY `:row`;
