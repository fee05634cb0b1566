{#- E-mail addresses and phone numbers caught by pattern (issue 12), in any free-text column
    that can reach a mart. The patterns, written with [.] rather than a backslash so they mean
    the same under every engine's string-literal escaping:

    - an e-mail address anywhere in the value: local part, '@', a domain with a dot
      (pii_email_pattern, case-insensitive);
    - a phone number written with a '+': '+', then 8 to 15 digits, with at most two of
      space ( ) . - between any two (pii_international_phone_pattern);
    - a phone number written in groups: an optional parenthesised area code, then three or
      four groups of 2 to 5 digits separated by space, '.' or '-' (pii_grouped_phone_pattern),
      with 9 to 15 digits in all once ISO dates (YYYY-MM-DD) are taken out, so a date, a
      version or a bare number (an id such as 1001001) is not a phone.

    A matching value is replaced by 'redacted-' and the first 16 hex digits of its sha256: the
    row stays, two rows with the same value still join and group together (an owner id typed
    as an e-mail keeps matching the same owner), and the value itself is gone. -#}
{% macro redact_pii(expression) -%}
    case
        when {{ may_contain_pii(expression) }}
            and {{ contains_pii(expression) }}
            then {{ dbt.concat(["'redacted-'", "substr(" ~ hash_pii(expression, normalize=false) ~ ", 1, 16)"]) }}
        else {{ expression }}
    end
{%- endmacro %}


{#- A cheap necessary condition of contains_pii, checked first so its regular expressions run
    only on the few values that pass: an e-mail address needs an '@', an international phone
    number a '+', and a grouped one a digit, a separator (space . -) and a digit in a row
    (its middle groups; taking ISO dates out first cannot create one: a date holds a digit, a
    '-' and a digit itself). At L the three patterns were 40 % of stg_web__touchpoints. False
    never hides PII; true only sends the value on to contains_pii. -#}
{% macro may_contain_pii(expression) -%}
    (
        {{ dbt.position("'@'", expression) }} > 0
        or {{ dbt.position("'+'", expression) }} > 0
        or {{ adapter.dispatch('has_digit_separator_digit', 'funnel_warehouse')(expression) }}
    )
{%- endmacro %}

{% macro duckdb__has_digit_separator_digit(expression) -%}
    regexp_matches({{ expression }}, '[0-9][ .-][0-9]')
{%- endmacro %}

{% macro postgres__has_digit_separator_digit(expression) -%}
    {{ expression }} ~ '[0-9][ .-][0-9]'
{%- endmacro %}

{% macro spark__has_digit_separator_digit(expression) -%}
    {{ expression }} rlike '[0-9][ .-][0-9]'
{%- endmacro %}

{% macro default__has_digit_separator_digit(expression) -%}
    regexp_like({{ expression }}, '.*[0-9][ .-][0-9].*')
{%- endmacro %}


{% macro pii_email_pattern() -%}
    {{ return("[a-z0-9._%+-]+@[a-z0-9-]+([.][a-z0-9-]+)*[.][a-z]{2,}") }}
{%- endmacro %}

{% macro pii_international_phone_pattern() -%}
    {{ return("[+][0-9]([ ().-]{0,2}[0-9]){7,14}") }}
{%- endmacro %}

{% macro pii_grouped_phone_pattern() -%}
    {{ return("([(][0-9]{2,5}[)][ .-]?|[0-9]{2,5}[ .-])[0-9]{2,5}[ .-][0-9]{2,5}([ .-][0-9]{2,5})?") }}
{%- endmacro %}


{#- True when the text holds an e-mail address or a phone number (see redact_pii); null for
    null. -#}
{% macro contains_pii(expression) -%}
    {{ return(adapter.dispatch('contains_pii', 'funnel_warehouse')(expression)) }}
{%- endmacro %}

{% macro duckdb__contains_pii(expression) -%}
    (
        regexp_matches({{ expression }}, '{{ pii_email_pattern() }}', 'i')
        or regexp_matches({{ expression }}, '{{ pii_international_phone_pattern() }}')
        or length(regexp_replace(
            regexp_extract(
                regexp_replace({{ expression }}, '[0-9]{4}-[0-9]{2}-[0-9]{2}', ' ', 'g'),
                '{{ pii_grouped_phone_pattern() }}'
            ),
            '[^0-9]', '', 'g'
        )) between 9 and 15
    )
{%- endmacro %}

{#- Postgres: substring(x from p) returns the first parenthesised group, so the whole pattern
    is wrapped in one. -#}
{% macro postgres__contains_pii(expression) -%}
    (
        {{ expression }} ~* '{{ pii_email_pattern() }}'
        or {{ expression }} ~ '{{ pii_international_phone_pattern() }}'
        or coalesce(length(regexp_replace(
            substring(
                regexp_replace({{ expression }}, '[0-9]{4}-[0-9]{2}-[0-9]{2}', ' ', 'g')
                from '({{ pii_grouped_phone_pattern() }})'
            ),
            '[^0-9]', '', 'g'
        )), 0) between 9 and 15
    )
{%- endmacro %}

{#- Snowflake: regexp_like and regexp_substr. -#}
{% macro default__contains_pii(expression) -%}
    (
        regexp_like({{ expression }}, '.*{{ pii_email_pattern() }}.*', 'i')
        or regexp_like({{ expression }}, '.*{{ pii_international_phone_pattern() }}.*')
        or coalesce(length(regexp_replace(
            regexp_substr(
                regexp_replace({{ expression }}, '[0-9]{4}-[0-9]{2}-[0-9]{2}', ' '),
                '{{ pii_grouped_phone_pattern() }}'
            ),
            '[^0-9]', ''
        )), 0) between 9 and 15
    )
{%- endmacro %}

{#- Spark (Java regex): rlike finds the pattern anywhere, (?i) makes it case-insensitive;
    regexp_replace replaces every match; regexp_extract gives '' when nothing matches. -#}
{% macro spark__contains_pii(expression) -%}
    (
        {{ expression }} rlike '(?i){{ pii_email_pattern() }}'
        or {{ expression }} rlike '{{ pii_international_phone_pattern() }}'
        or length(regexp_replace(
            regexp_extract(
                regexp_replace({{ expression }}, '[0-9]{4}-[0-9]{2}-[0-9]{2}', ' '),
                '{{ pii_grouped_phone_pattern() }}',
                0
            ),
            '[^0-9]', ''
        )) between 9 and 15
    )
{%- endmacro %}
