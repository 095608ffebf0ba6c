{#-
  The engine reads its inputs from the project that installed it (the root project,
  `project_name`): interface model `x` reads that project's model `input_x`.

  leadscore.input_ref(name): ref to input_<name> (a missing model fails at parse time, naming it).
  leadscore.checked_input(name, required_columns): the same relation, after checking at run time that
    every required column is there; otherwise the build stops naming the model and the
    missing columns.
-#}
{% macro input_ref(name) -%}
  {{ return(ref(project_name, 'input_' ~ name)) }}
{%- endmacro %}

{#- Whether input_<name> exists in the warehouse: not before the first build (`dbt compile` or
    `docs generate` on a fresh database then has nothing to check; a build builds the input
    first). An ephemeral input model is refused: the engine reads its columns from the warehouse. -#}
{% macro input_is_built(name) -%}
  {%- set node = graph.nodes.get('model.' ~ project_name ~ '.input_' ~ name) -%}
  {%- if node and node.config.materialized == 'ephemeral' -%}
    {{ exceptions.raise_compiler_error("The input project's model input_" ~ name ~ " is ephemeral: "
        ~ "make it a view or a table (the engine reads its columns from the warehouse)") }}
  {%- endif -%}
  {%- set relation = leadscore.input_ref(name) -%}
  {{ return(adapter.get_relation(database=relation.database, schema=relation.schema,
                                 identifier=relation.identifier) is not none) }}
{%- endmacro %}

{% macro checked_input(name, required_columns) -%}
  {%- set relation = leadscore.input_ref(name) -%}
  {%- if execute and leadscore.input_is_built(name) -%}
    {%- set present = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {%- set missing = required_columns | reject('in', present) | list -%}
    {%- if missing -%}
      {{ exceptions.raise_compiler_error(
          "The input project's model input_" ~ name ~ " lacks column(s) the engine needs: "
          ~ missing | join(', ') ~ " (it has: " ~ present | join(', ') ~ "). See the engine's "
          ~ "models/interface/_interface.yml for the interface.") }}
    {%- endif -%}
  {%- endif -%}
  {{ return(relation) }}
{%- endmacro %}

{#-
  The feature columns of a feature table: every column but the given keys, in table order
  (never a hard-coded list). At parse time: [].
-#}
{% macro feature_columns(relation, keys) -%}
  {%- if not execute -%}{{ return([]) }}{%- endif -%}
  {%- set names = [] -%}
  {%- for col in adapter.get_columns_in_relation(relation) -%}
    {%- if col.name | lower not in keys -%}{%- do names.append(col.name) -%}{%- endif -%}
  {%- endfor -%}
  {{ return(names) }}
{%- endmacro %}
