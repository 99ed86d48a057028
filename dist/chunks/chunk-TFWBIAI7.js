import { createRequire as __ptkRequire } from 'node:module'; const require = __ptkRequire(import.meta.url);
import{a as y,b as _e,c as U,d as H,i as qe,k as C,l as Q,q as pe,s as O}from"./chunk-23MBH2KG.js";var v=["en","pt-BR"],J=["proposed","accepted","rejected","deprecated","superseded"],Ge=["context","decision","consequences"],h={en:{status:{proposed:"proposed",accepted:"accepted",rejected:"rejected",deprecated:"deprecated",superseded:"superseded"},section:{context:"Context",decision:"Decision",alternatives:"Alternatives",consequences:"Consequences"},label:{status:"Status",date:"Date",supersedes:"Supersedes",supersededBy:"Superseded by"},currentState:"Current state",indexHeading:"ADR index",index:{adr:"ADR",title:"Title",status:"Status",date:"Date",supersedes:"Supersedes",supersededBy:"Superseded by"}},"pt-BR":{status:{proposed:"Proposto",accepted:"Aceito",rejected:"Rejeitado",deprecated:"Obsoleto",superseded:"Substitu\xEDdo"},section:{context:"Contexto",decision:"Decis\xE3o",alternatives:"Alternativas",consequences:"Consequ\xEAncias"},label:{status:"Status",date:"Data",supersedes:"Substitui",supersededBy:"Substitu\xEDdo por"},currentState:"Estado Atual",indexHeading:"\xCDndice de ADRs",index:{adr:"ADR",title:"T\xEDtulo",status:"Status",date:"Data",supersedes:"Substitui",supersededBy:"Substitu\xEDdo por"}}};function b(e){return e.normalize("NFKD").replace(new RegExp("\\p{Diacritic}","gu"),"").toLowerCase().trim()}var ot=new Map([...J.flatMap(e=>v.map(t=>[b(h[t].status[e]),e])),["aceita","accepted"],["proposta","proposed"],["rejeitada","rejected"],["obsoleta","deprecated"],["substituida","superseded"],["depreciado","deprecated"]]);function me(e){let t=b(e).replace(/[*_`]/g,"").split(/[\s:,.(—–-]+/).find(Boolean);return t===void 0?void 0:ot.get(t)}var at=new Map([...["context","decision","alternatives","consequences"].flatMap(e=>v.map(t=>[b(h[t].section[e]),e])),["considered options","alternatives"],["options considered","alternatives"],["alternatives considered","alternatives"],["alternativas consideradas","alternatives"],["opcoes consideradas","alternatives"],["decision outcome","decision"],["context and problem statement","context"]]);function Me(e){return at.get(b(e).replace(/[:.]$/,""))}function fe(e){let t=0,n=0;for(let s of e)for(let r of s.split(`
`)){if(!/^#{1,3}\s|^\s*[-*]?\s*\**(status|data|date)\**\s*:/i.test(r))continue;let i=b(r);/\b(contexto|decisao|consequencias|estado atual|data|alternativas|registro de decisoes|progresso)\b/.test(i)?t++:/\b(context|decision|consequences|current state|date|alternatives|decision log|progress)\b/.test(i)&&n++}return t>n?"pt-BR":"en"}var _=/^ADR-(\d{1,5})(?:-([^/]+))?\.md$/i;function j(e){return String(e).padStart(3,"0")}function f(e){return`ADR-${j(e)}`}function Oe(e){return e.normalize("NFKD").replace(new RegExp("\\p{Diacritic}","gu"),"").toLowerCase().replace(/[^a-z0-9]+/g,"-").replace(/^-+|-+$/g,"").slice(0,60).replace(/-+$/,"")||"decision"}function ye(e,t){return`${f(e)}-${Oe(t)}.md`}function I(e){return[...e.matchAll(/\bADR[-\s]?(\d{1,5})\b/gi)].map(t=>Number(t[1]))}function ge(e){let t=b(e).replace(/[*_]/g,"").trim();if(["status","estado","situacao"].includes(t))return"status";if(["date","data","decision date","data da decisao"].includes(t))return"date";if(["supersedes","substitui","replaces"].includes(t))return"supersedes";if(["superseded by","substituido por","replaced by"].includes(t))return"supersededBy"}var ut=/^(\s*(?:[-*]\s+)?\**([\p{L} ]{2,30}?)\**\s*:\s*\**\s*)(.*?)(\s*\**\s*)$/u,dt=/^(?:ADR[-\s]?\d+|\d+\.)\s*(?:[:.–—-]\s*)?/i;function L(e,t){let n=_.exec(e);if(!n)throw new Error(`${e} is not an ADR file name (expected ADR-NNN-<slug>.md or ADR-NNN.md)`);let s=t.split(`
`),r={file:e,number:Number(n[1]),...n[2]?{slug:n[2]}:{},title:"",supersedes:[],supersededBy:[],sections:new Map,meta:{},titleLine:1,bodyStart:0,text:t},i=(c,p,m,g,w="")=>{r.meta[c]||(r.meta[c]={index:p,prefix:m,value:g,suffix:w})},o=0;if(s[0]?.trim()==="---"){for(o=1;o<s.length&&s[o]?.trim()!=="---";o++){let c=/^(\s*([\w ]+?)\s*:\s*(["']?))(.*?)(\3\s*)$/.exec(s[o]??""),p=c&&ge(c[2]??"");c&&p&&i(p,o,c[1]??"",c[4]??"",c[5]??"")}o++,r.bodyStart=o}let a=!0,l;for(;o<s.length;o++){let c=s[o]??"",p=/^(#{1,4})\s+(.*?)\s*#*\s*$/.exec(c);if(p){let w=p[1]?.length??0,B=p[2]??"";if(w===1&&!r.title){r.title=B.replace(dt,"").trim()||B.trim(),r.titleLine=o+1;continue}a=!1,l=ge(B);let k=Me(B);k&&!r.sections.has(k)&&r.sections.set(k,o+1);continue}if(!c.trim())continue;let m=ut.exec(c),g=m&&ge(m[2]??"");if(m&&g&&(a||l)){i(g,o,m[1]??"",m[3]??"",m[4]??"");continue}l&&!r.meta[l]&&i(l,o,c.match(/^\s*/)?.[0]??"",c.trim())}let u=r.meta.status;if(u){r.statusText=u.value.replace(/[*_`]/g,"").trim();let c=me(u.value);c&&(r.status=c),c==="superseded"&&r.supersededBy.push(...I(u.value))}let d=r.meta.date?.value.match(/\d{4}-\d{2}-\d{2}/)?.[0]??r.meta.date?.value;return d&&(r.date=d),r.meta.supersedes&&r.supersedes.push(...I(r.meta.supersedes.value)),r.meta.supersededBy&&r.supersededBy.push(...I(r.meta.supersededBy.value)),r.supersedes=He(r.supersedes),r.supersededBy=He(r.supersededBy),r.title||(r.title=f(r.number)),r}function He(e){return[...new Set(e)].sort((t,n)=>t-n)}function he(e){return`[${f(e.number)}](${e.file})`}var lt={en:{context:"What forces are at play (technical, product, team)? What problem does this decision answer, and why now?",decision:'What we decided, stated in full sentences ("We will \u2026").',alternatives:"Each option considered, with why it was not chosen.",consequences:"What becomes easier or harder because of this decision, including risks and follow-up work."},"pt-BR":{context:"Quais for\xE7as est\xE3o em jogo (t\xE9cnicas, de produto, da equipe)? Que problema esta decis\xE3o resolve, e por que agora?",decision:'O que decidimos, em frases completas ("Vamos \u2026").',alternatives:"Cada op\xE7\xE3o considerada, com o motivo de n\xE3o ter sido escolhida.",consequences:"O que fica mais f\xE1cil ou mais dif\xEDcil por causa desta decis\xE3o, incluindo riscos e trabalho a fazer."}};function be(e){let t=h[e.language],n=[`# ${f(e.number)}: ${e.title}`,"",`- ${t.label.status}: ${t.status[e.status]}`,`- ${t.label.date}: ${e.date}`];e.supersedes&&n.push(`- ${t.label.supersedes}: ${he(e.supersedes)}`),n.push("");for(let s of["context","decision","alternatives","consequences"])n.push(`## ${t.section[s]}`,"",lt[e.language][s],"");return n.join(`
`)}function X(e,t,n,s){let r=e.text.split(`
`),i=e.meta[t];if(i){let p=t==="status"&&new RegExp("^[*_`]*\\p{Lu}","u").test(i.value)?n.replace(new RegExp("^\\p{Ll}","u"),m=>m.toUpperCase()):n;return r[i.index]=`${i.prefix}${p}${i.suffix}`,r.join(`
`)}let o=h[s].label,a={status:o.status,date:o.date,supersedes:o.supersedes,supersededBy:o.supersededBy}[t],l=Object.values(e.meta).filter(p=>p.index>=e.bodyStart),u=Math.max(e.titleLine-1,e.bodyStart-1,...l.map(p=>p.index)),c=u===e.titleLine-1?["",`- ${a}: ${n}`]:[`- ${a}: ${n}`];return r.splice(u+1,0,...c),r.join(`
`)}import{existsSync as Wt}from"node:fs";import z from"node:path";import{existsSync as mt}from"node:fs";import{mkdir as ft,readdir as gt,readFile as yt,writeFile as ht}from"node:fs/promises";import Fe from"node:path";function ct(e){return{start:new RegExp(`<!--\\s*${e}:start\\b[^>]*-->`),end:new RegExp(`<!--\\s*${e}:end\\s*-->`)}}function ee(e){return{start:`<!-- ${e}:start -->`,end:`<!-- ${e}:end -->`}}function je(e,t){let{start:n,end:s}=ct(t),r=n.exec(e);if(!r)return;let i=r.index+r[0].length,o=s.exec(e.slice(i));if(o)return{marker:r.index,from:i,to:i+o.index}}function P(e,t){let n=je(e,t);return n?{content:e.slice(n.from,n.to).replace(/^\r?\n/,"").replace(/\r?\n$/,""),line:e.slice(0,n.marker).split(`
`).length}:void 0}function pt(e,t,n){let s=je(e,t);if(s)return`${e.slice(0,s.from)}
${n}
${e.slice(s.to)}`}function te(e,t,n,s){let r=pt(e,t,n);if(r!==void 0)return r;let{start:i,end:o}=ee(t),a=e.trimEnd();return`${a}${a?`

`:""}## ${s}

${i}
${n}
${o}
`}var F=["activeContext.md","decisionLog.md","productContext.md","progress.md","systemPatterns.md"];function q(e,t){let{start:n,end:s}=ee(e);return`${n}
${t}
${s}`}function R(e,t){let n=h[e];return e==="pt-BR"?{"activeContext.md":`# Contexto Ativo

Como o sistema est\xE1 agora: vers\xE3o em produ\xE7\xE3o, o que est\xE1 em andamento, o que vem a seguir.
O bloco "${n.currentState}" \xE9 reescrito pelo CI a cada deploy (a\xE7\xE3o \`memory-bank\`, \`record-deploy\`);
o restante \xE9 escrito pela equipe.

## ${n.currentState} [${t}]

- Vers\xE3o em produ\xE7\xE3o: \u2014
- \xDAltimo deploy: \u2014
- Pr\xF3ximo marco: \u2014

## Em andamento

- (trabalho atual, com links para issues e PRs)

## Quest\xF5es em aberto

- (d\xFAvidas que ainda bloqueiam decis\xF5es)
`,"decisionLog.md":`# Registro de Decis\xF5es

Decis\xF5es t\xE9cnicas registradas como ADRs (registros de decis\xE3o de arquitetura): contexto, alternativas
consideradas e consequ\xEAncias, um arquivo por decis\xE3o (\`ADR-NNN-<slug>.md\`).
Crie uma com \`pipeline-toolkit adr new "T\xEDtulo"\`. O \xEDndice abaixo \xE9 gerado por
\`pipeline-toolkit memory-bank index\`: edite os arquivos das ADRs, n\xE3o a tabela.

## ${n.indexHeading}

${q("adr-index","_Nenhuma decis\xE3o registrada ainda._")}
`,"productContext.md":`# Contexto do Produto

## Prop\xF3sito

- (que problema o produto resolve, e para quem)

## Usu\xE1rios e partes interessadas

- (quem usa, quem decide, quem precisa ser avisado)

## Requisitos n\xE3o funcionais

- Disponibilidade: (ex.: 99,9% mensal)
- Desempenho: (ex.: p95 < 300 ms)
- Seguran\xE7a e conformidade: (ex.: dados pessoais, LGPD)

## M\xE9tricas

- (como sabemos que o produto est\xE1 cumprindo o seu prop\xF3sito)
`,"progress.md":`# Progresso

Hist\xF3rico de marcos, atualiza\xE7\xF5es de status, deploys e PRs integrados.
Os blocos entre marcadores s\xE3o mantidos pelo CI (a\xE7\xE3o \`memory-bank\`); uma reexecu\xE7\xE3o n\xE3o duplica entradas.

## Marcos

- (marco \u2014 data \u2014 situa\xE7\xE3o)

## Deploys

${q("deploys","_Nenhum deploy registrado ainda._")}

## PRs integrados

${q("merged-prs","_Nenhum PR registrado ainda._")}
`,"systemPatterns.md":`# Padr\xF5es do Sistema

## Arquitetura

Diagramas C4 (contexto, cont\xEAineres) e os fluxos principais:

\`\`\`mermaid
flowchart LR
  usuario[Usu\xE1rio] --> app[Aplica\xE7\xE3o]
  app --> db[(Banco de dados)]
\`\`\`

## Padr\xF5es

- (padr\xE3o \u2014 onde \xE9 usado \u2014 por qu\xEA; ligue a ADR que o decidiu)

## Conven\xE7\xF5es de c\xF3digo

- (nomes, estrutura de pastas, testes, revis\xE3o)
`}:{"activeContext.md":`# Active Context

What the system looks like now: the version in production, the work in progress, what comes next.
The "${n.currentState}" block is rewritten by CI on every deploy (\`memory-bank\` action, \`record-deploy\`);
the rest is written by the team.

## ${n.currentState} [${t}]

- Version in production: \u2014
- Last deploy: \u2014
- Next milestone: \u2014

## Work in progress

- (current work, with links to issues and PRs)

## Open questions

- (questions that still block decisions)
`,"decisionLog.md":`# Decision Log

Technical decisions recorded as ADRs (architecture decision records): context, alternatives
considered and consequences, one file per decision (\`ADR-NNN-<slug>.md\`).
Create one with \`pipeline-toolkit adr new "Title"\`. The index below is generated by
\`pipeline-toolkit memory-bank index\`: edit the ADR files, not the table.

## ${n.indexHeading}

${q("adr-index","_No decisions recorded yet._")}
`,"productContext.md":`# Product Context

## Purpose

- (what problem the product solves, and for whom)

## Users and stakeholders

- (who uses it, who decides, who must be told)

## Non-functional requirements

- Availability: (e.g. 99.9% monthly)
- Performance: (e.g. p95 < 300 ms)
- Security and compliance: (e.g. personal data, GDPR)

## Metrics

- (how we know the product does what it is for)
`,"progress.md":`# Progress

History of milestones, status updates, deploys and merged pull requests.
The blocks between markers are maintained by CI (\`memory-bank\` action); a re-run never duplicates an entry.

## Milestones

- (milestone \u2014 date \u2014 status)

## Deploys

${q("deploys","_No deploys recorded yet._")}

## Merged pull requests

${q("merged-prs","_No pull requests recorded yet._")}
`,"systemPatterns.md":`# System Patterns

## Architecture

C4 diagrams (context, containers) and the main flows:

\`\`\`mermaid
flowchart LR
  user[User] --> app[Application]
  app --> db[(Database)]
\`\`\`

## Patterns

- (pattern \u2014 where it is used \u2014 why; link the ADR that decided it)

## Code conventions

- (naming, folder layout, tests, review)
`}}async function S(e,t={}){if(!mt(e))throw new y("dir",`Memory bank folder '${e}' does not exist. Create it with 'pipeline-toolkit memory-bank init'.`);let n=new Map;for(let i of(await gt(e,{withFileTypes:!0})).sort((o,a)=>o.name.localeCompare(a.name)))i.isFile()&&i.name.toLowerCase().endsWith(".md")&&n.set(i.name,await yt(Fe.join(e,i.name),"utf8"));let s=[...n].filter(([i])=>_.test(i)).map(([i,o])=>L(i,o));s.sort((i,o)=>i.number-o.number||i.file.localeCompare(o.file));let r=t.language??fe([n.get("decisionLog.md")??"",n.get("activeContext.md")??"",...s.map(i=>i.text)]);return{dir:e,language:r,files:n,adrs:s}}function W(e,t){let n=e.adrs.filter(s=>s.number===t);if(n.length===0){let s=e.adrs.map(r=>r.number).join(", ")||"none";throw new y("number",`There is no ADR ${t} in ${e.dir} (ADRs: ${s}).`)}if(n.length>1)throw new y("number",`ADR ${t} is ambiguous: ${n.map(s=>s.file).join(", ")}. Renumber one first ('pipeline-toolkit adr renumber').`);return n[0]}async function bt(e,t,n){await ft(e,{recursive:!0});let s=R(t,n),r={created:[],kept:[]};for(let i of F)try{await ht(Fe.join(e,i),s[i],{flag:"wx"}),r.created.push(i)}catch(o){if(o.code!=="EEXIST")throw o;r.kept.push(i)}return r}function xe(e=new Date){return e.toISOString().slice(0,10)}var $=class extends U{status;constructor(t,n){super(n),this.name="GitHubError",this.status=t}};function x(e){return`/repos/${encodeURIComponent(e.owner)}/${encodeURIComponent(e.repo)}`}function N(e){return e.split("/").map(encodeURIComponent).join("/")}function we(e,t="repository"){let n=/^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(e.trim());if(!n)throw new y(t,`'${e}' is not a repository: expected owner/name.`);return{owner:n[1],repo:n[2]}}function xt(e){let t=/[:/]([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(e.trim());return t?{owner:t[1],repo:t[2]}:void 0}async function Re(e,t=process.env.GITHUB_API_URL||"https://api.github.com"){let{getOctokit:n}=await import("./github-CRQDKEEB.js"),s=n(e,{baseUrl:t}),r=async(i,o)=>{try{return await i()}catch(a){let l=a.status;if(typeof l!="number")throw new U(`GitHub API ${o} failed: ${a.message}`,{cause:a});let u=a.response?.data?.message??a.message;throw new $(l,`GitHub API ${o} answered ${l}: ${u}`)}};return{request:(i,o,a={})=>r(async()=>(await s.request(`${i} ${o}`,a)).data,`${i} ${o}`),paginate:(i,o={})=>r(async()=>await s.paginate(`GET ${i}`,{per_page:100,...o}),`GET ${i}`)}}import $t from"node:path";import We from"node:path";function Ye(e,t){return e.flatMap(n=>{let s=We.posix.basename(n),r=_.exec(s);return r?[{number:Number(r[1]),file:s,source:t}]:[]})}async function ne(e,t=O){let n=await t("git",["rev-parse","--show-toplevel","--show-prefix"],{cwd:e,okExitCodes:[0,128]});if(n.exitCode!==0)return;let[s="",r=""]=n.stdout.split(`
`);return{top:s.trim(),prefix:r.trim()}}async function wt(e,t={}){let n=t.exec??O,s;try{s=await ne(e,n)}catch(a){return t.log?.debug(`git is not available, branches not considered: ${H(a)}`),[]}if(!s)return t.log?.debug(`${e} is not in a git repository; branches not considered`),[];let r=await n("git",["for-each-ref","--format=%(objectname) %(refname:short)","refs/heads","refs/remotes"],{cwd:s.top}),i=new Map;for(let a of r.stdout.split(`
`)){let[l,u]=a.trim().split(" ");l&&u&&!i.has(l)&&i.set(l,u)}let o=[];for(let[a,l]of i){let u=["ls-tree","--name-only",a,...s.prefix?["--",s.prefix]:[]],d=await n("git",u,{cwd:s.top});o.push(...Ye(d.stdout.split(`
`),`branch ${l}`))}return o}function Rt(e){return e.replace(/^\.?\/+/,"").replace(/\/*$/,"")||"."}async function re(e,t,n,s){let i=(await e.paginate(`${x(t)}/pulls/${s}/files`)).filter(o=>["added","renamed","copied"].includes(o.status)&&We.posix.dirname(o.filename)===Rt(n));return Ye(i.map(o=>o.filename),`pull request #${s}`)}async function $e(e,t,n,s={}){let r=await e.paginate(`${x(t)}/pulls`,{state:"open"}),i=[];for(let o of r)o.number!==s.exclude&&i.push(...await re(e,t,n,o.number));return i}function Ae(e){return Math.max(0,...e.map(t=>t.number))+1}function ke(e,t){let n=[];for(let s of e){let r=t.find(i=>i.number===s.number&&i.file!==s.file&&!e.some(o=>o.file===i.file));r&&n.push({local:s,other:r})}return n}function Ke(e,t,n){let s=e.adrs.map(r=>({number:r.number,file:r.file,source:"local"}));return ke(s,n).map(({local:r,other:i})=>({file:$t.posix.join(t,r.file),line:e.adrs.find(o=>o.file===r.file)?.titleLine??1,rule:"number",message:`${f(r.number)} is also taken by ${i.file} in ${i.source}; renumber one of them ('pipeline-toolkit adr renumber ${r.number} <free number>')`}))}async function Se(e,t,n,s,r){let i=await re(n,s,t,r);if(i.length===0)return[];let o=await $e(n,s,t,{exclude:r}),a={...e,adrs:e.adrs.filter(l=>i.some(u=>u.file===l.file))};return Ke(a,t,o)}import{existsSync as kt}from"node:fs";import Qe from"node:path";function At(e,t){return e.status?h[t].status[e.status]:e.statusText??"\u2014"}function Ve(e,t){return e.length===0?"\u2014":{markdown:e.map(s=>{let r=t.find(i=>i.number===s);return r?pe(f(s),r.file).markdown:f(s)}).join(", ")}}function Ee(e,t){let n=h[t].index;if(e.length===0)return t==="pt-BR"?"_Nenhuma decis\xE3o registrada ainda._":"_No decisions recorded yet._";let s=e.map(r=>[f(r.number),pe(r.title,r.file),At(r,t),r.date??"\u2014",Ve(r.supersedes,e),Ve(r.supersededBy,e)]);return Q([n.adr,n.title,n.status,n.date,n.supersedes,n.supersededBy],s).trimEnd()}function Y(e,t,n){return te(e,"adr-index",Ee(t,n),h[n].indexHeading)}function Le(e,t,n){return P(e,"adr-index")?.content.trim()===Ee(t,n).trim()}var E=1024,Pe={"activeContext.md":12*E,"productContext.md":24*E,"systemPatterns.md":48*E,"decisionLog.md":48*E,"progress.md":96*E,adr:24*E,other:48*E},ze={"activeContext.md":"keep only the current state here and move history to progress.md","progress.md":"move older entries to an archive file (e.g. progress-2025.md)",adr:"split the decision or move background material to systemPatterns.md"},St=/\b(?:password|passwd|senha|secret|api[_-]?key|access[_-]?key|token|client[_-]?secret)\b\s*[:=]\s*["']?([^\s"'`]{8,})/i,Et=/^(?:\*+|x+|<[^>]*>|\$\{\{[^}]*\}\}|\$\{?[A-Za-z_]+\}?|(?:secrets|env|vars)\.\w+|changeme|example\S*|redacted|\.{3})$/i,Lt=/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+[.,;:]?$/;function Pt(e){if(qe(e))return!0;let t=St.exec(e),n=t?.[1]??"";return!!(t&&!Et.test(n)&&!Lt.test(n))}function Bt(e,t){return e.slice(0,t).split(`
`).length}var Ze=v.map(e=>J.map(t=>h[e].status[t]).join("/")).join(" or "),Ct=e=>`'${h.en.section[e]}' (pt-BR '${h["pt-BR"].section[e]}')`;function Be(e,t={}){let n={...Pe,...t.budgets},s=[],r=u=>Qe.join(t.display??e.dir,u),i=(u,d,c,p)=>s.push({file:r(u),line:d,rule:c,message:p});for(let u of F)e.files.has(u)||i(u,1,"missing-file",`${u} is missing; 'pipeline-toolkit memory-bank init' creates it without touching existing files`);for(let u of e.adrs)vt(e,u,i);let o=Map.groupBy(e.adrs,u=>u.number);for(let[u,d]of o)if(!(d.length<2))for(let c of d){let p=d.filter(m=>m!==c).map(m=>m.file);i(c.file,c.titleLine,"number",`${f(u)} is also used by ${p.join(", ")}; give one a free number with 'pipeline-toolkit adr renumber'`)}let a=e.files.get("decisionLog.md");if(a!==void 0){let u=P(a,"adr-index");u?Le(a,e.adrs,e.language)||i("decisionLog.md",u.line,"index","the ADR index is out of date; run 'pipeline-toolkit memory-bank index'"):i("decisionLog.md",1,"index","has no ADR index (<!-- adr-index:start --> \u2026 <!-- adr-index:end -->); run 'pipeline-toolkit memory-bank index'")}let l=e.files.get("progress.md");l!==void 0&&It(l,i);for(let[u,d]of e.files){Dt(e,u,d,i),d.split(`
`).forEach((g,w)=>{Pt(g)&&i(u,w+1,"secret","looks like a secret (token, key or password); remove it and rotate it if it was real")});let c=u in n?u:e.adrs.some(g=>g.file===u)?"adr":"other",p=n[c]??Pe.other??0,m=Buffer.byteLength(d);if(m>p){let g=ze[c]?`: ${ze[c]}`:"";i(u,1,"size",`is ${(m/E).toFixed(1)} KB, over its ${(p/E).toFixed(0)} KB budget${g}`)}}return s.sort((u,d)=>u.file.localeCompare(d.file)||u.line-d.line)}function vt(e,t,n){let s=i=>(t.meta[i]?.index??t.titleLine-1)+1;/^#\s/m.test(t.text)||n(t.file,1,"title",`has no '# ${f(t.number)}: Title' heading`);let r=/^#\s+ADR[-\s]?(\d+)/im.exec(t.text);r&&Number(r[1])!==t.number&&n(t.file,t.titleLine,"title",`title says ADR ${Number(r[1])} but the file name says ${f(t.number)}`);for(let i of Ge)t.sections.has(i)||n(t.file,t.titleLine,"section",`missing section ${Ct(i)}`);t.meta.status?t.status||n(t.file,s("status"),"status",`status '${t.statusText}' is not one of ${Ze}`):n(t.file,t.titleLine,"status",`has no status line ('- Status: accepted'); statuses: ${Ze}`),t.meta.date?(!/^\d{4}-\d{2}-\d{2}$/.test(t.date??"")||Number.isNaN(Date.parse(t.date??"")))&&n(t.file,s("date"),"date",`date '${t.meta.date.value}' is not a date in YYYY-MM-DD form`):n(t.file,t.titleLine,"date","has no date line ('- Date: YYYY-MM-DD')");for(let i of t.supersedes){let o=e.adrs.find(a=>a.number===i);o?(!o.supersededBy.includes(t.number)||o.status!=="superseded")&&n(o.file,Nt(o),"supersede",`${t.file} supersedes it, but it is not marked 'superseded' by ${f(t.number)}; run 'pipeline-toolkit adr supersede' or add the line`):n(t.file,s("supersedes"),"supersede",`supersedes ${f(i)}, which does not exist`)}for(let i of t.supersededBy){let o=e.adrs.find(a=>a.number===i);o?o.supersedes.includes(t.number)||n(o.file,o.titleLine,"supersede",`${t.file} says it is superseded by ${f(i)}, but this ADR does not say it supersedes ${f(t.number)}`):n(t.file,s("status"),"supersede",`superseded by ${f(i)}, which does not exist`)}t.status==="superseded"&&t.supersededBy.length===0&&n(t.file,s("status"),"supersede","is superseded but does not name its successor ('Superseded by: ADR-NNN')")}function Nt(e){return(e.meta.supersededBy?.index??e.meta.status?.index??e.titleLine-1)+1}var Tt=/(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;function Dt(e,t,n,s){let r=Ut(n);for(let i of n.matchAll(Tt)){if(r.some(([u,d])=>i.index>=u&&i.index<d))continue;let o=i[1]??"";if(/^[a-z][a-z0-9+.-]*:/i.test(o)||o.startsWith("#"))continue;let a=decodeURIComponent(o.split("#")[0]??"");if(!a||kt(Qe.resolve(e.dir,a)))continue;let l=I(a).map(u=>e.adrs.find(d=>d.number===u)).find(Boolean);s(t,Bt(n,i.index),"link",`link target '${o}' does not exist${l?` (did you mean ${l.file}?)`:""}`)}}function Ut(e){let t=[],n=/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm;for(let s of e.matchAll(n))t.push([s.index,s.index+s[0].length]);return t}function It(e,t){let n=new Map;e.split(`
`).forEach((s,r)=>{let i=/<!--\s*key:\s*(\S+)\s*-->/.exec(s)?.[1];if(!i)return;let o=n.get(i);o===void 0?n.set(i,r+1):t("progress.md",r+1,"entry",`entry '${i}' is already on line ${o}; keep one of them`)})}var Ce=["success","failure","cancelled","skipped"],Je={en:{success:"success",failure:"failure",cancelled:"cancelled",skipped:"skipped"},"pt-BR":{success:"sucesso",failure:"falha",cancelled:"cancelado",skipped:"ignorado"}};function T(e){let t=C(e.text);return e.url?`[${t}](${e.url})`:t}function se(e,t){let n=[e.date,`**${C(e.environment)}**`,C(e.version)];return e.commit&&n.push(T(e.commit)),e.pullRequest&&n.push(T(e.pullRequest)),e.deployUrl&&n.push(T({text:"deploy",url:e.deployUrl})),n.push(Je[t][e.result]),e.runUrl&&n.push(T({text:t==="pt-BR"?"execu\xE7\xE3o":"run",url:e.runUrl})),{key:`deploy/${e.environment}/${e.runId}`,body:`- ${n.join(" \xB7 ")}`,date:e.date}}function ie(e){let t=[e.date,T({text:`#${e.number} ${e.title}`,url:e.url})];return e.author&&t.push(`@${C(e.author)}`),e.commit&&t.push(T(e.commit)),{key:`pr/${e.number}`,body:`- ${t.join(" \xB7 ")}`,date:e.date}}var Xe=/<!--\s*key:\s*(\S+)\s*-->/;function ve(e,t,n){let r=(e===void 0?void 0:P(e,t)?.content)?.split(`
`).find(i=>Xe.exec(i)?.[1]===n);return r?/^-\s+(\d{4}-\d{2}-\d{2})/.exec(r)?.[1]:void 0}function oe(e,t,n,s){let r=e??R(s,n.date)["progress.md"],i=`${n.body} <!-- key: ${n.key} -->`,a=(P(r,t)?.content??"").split(`
`).filter(d=>d.trim()&&!/^_.*_$/.test(d.trim())),l=a.findIndex(d=>Xe.exec(d)?.[1]===n.key);if(l>=0)a[l]=i;else{let d=a.findIndex(c=>(/^-\s+(\d{4}-\d{2}-\d{2})/.exec(c)?.[1]??"")<n.date);a.splice(d<0?a.length:d,0,i)}let u=t==="deploys"?"Deploys":s==="pt-BR"?"PRs integrados":"Merged pull requests";return te(r,t,a.join(`
`),u)}var _t=/^##\s+.*\b(current state|estado atual)\b.*\[[^\]]*\]\s*$/;function qt(e,t){let n=b(t)==="production"||b(t)==="producao"?e==="pt-BR"?"produ\xE7\xE3o":"production":t;return e==="pt-BR"?{version:`Vers\xE3o em ${n}`,last:"\xDAltimo deploy",next:"Pr\xF3ximo marco"}:{version:`Version in ${n}`,last:"Last deploy",next:"Next milestone"}}function Ne(e,t,n){let r=(e??R(n,t.date)["activeContext.md"]).split(`
`),i=qt(n,t.environment),o=`## ${h[n].currentState} [${t.date}]`,a=r.findIndex(m=>_t.test(b(m)));if(a<0){let m=r.findIndex((g,w)=>w>0&&/^##\s/.test(g));a=m<0?r.length:m,r.splice(a,0,o,"",`- ${i.next}: \u2014`,"")}let l=r[a]??"",u=/\[[^\]]*\]/;r[a]=u.test(l)?l.replace(u,`[${t.date}]`):o;let d=r.findIndex((m,g)=>g>a&&/^#{1,2}\s/.test(m));d<0&&(d=r.length);let c=[t.date,t.environment,t.version,Je[n][t.result]].map(m=>C(m)).join(" \xB7 "),p=[[i.last,t.runUrl?`${c} \xB7 ${T({text:n==="pt-BR"?"execu\xE7\xE3o":"run",url:t.runUrl})}`:c]];t.result==="success"&&p.unshift([i.version,C(t.version)]);for(let[m,g]of p){let w=`- ${m}: ${g}`,B=r.findIndex((k,D)=>D>a&&D<d&&b(k).startsWith(`- ${b(m)}:`));if(B>=0)r[B]=w;else{let k=r.findIndex((ce,M)=>M>a&&M<d&&b(ce).startsWith(`- ${b(i.next)}:`)),D=r.findLastIndex((ce,M)=>M>a&&M<d&&/^\s*[-*]\s/.test(ce)),Z=k>=0?k:D>=0?D+1:a+2;for(;k<0&&D>=0&&Z<d&&/^\s+\S/.test(r[Z]??"");)Z++;r.splice(Z,0,w),d++}}return r.join(`
`)}import Gt from"node:path";var ae=(e,t)=>Gt.posix.join(e.replace(/\\/g,"/"),t);function Te(e,t,n){let s=se(e,n).key,r=e.date;return{key:`deploy-${e.environment}-${e.runId}`.replace(/[^A-Za-z0-9._-]+/g,"-"),message:`memory-bank: record deploy of ${e.version} to ${e.environment} (run ${e.runId})`,edits:[{path:ae(t,"progress.md"),apply:i=>(r=ve(i,"deploys",s)??e.date,oe(i,"deploys",se({...e,date:r},n),n))},{path:ae(t,"activeContext.md"),apply:i=>Ne(i,{...e,date:r},n)}]}}function De(e,t,n){let s=ie(e).key;return{key:`pr-${e.number}`,message:`memory-bank: record merged pull request #${e.number}`,edits:[{path:ae(t,"progress.md"),apply:r=>{let i=ve(r,"merged-prs",s)??e.date;return oe(r,"merged-prs",ie({...e,date:i}),n)}}]}}function Ue(e,t,n){return{key:"index",message:"memory-bank: regenerate the ADR index",edits:[{path:ae(t,"decisionLog.md"),apply:s=>Y(s??R(e.language,n)["decisionLog.md"],e.adrs,e.language)}]}}import{mkdir as Mt,readFile as Ht,writeFile as Ot}from"node:fs/promises";import et from"node:path";var K=class{#e;constructor(t){this.#e=t}async apply(t){let n=[];for(let s of t.edits){let r=et.resolve(this.#e,s.path),i=await Ht(r,"utf8").catch(a=>{if(a.code!=="ENOENT")throw a}),o=s.apply(i);o!==i&&(await Mt(et.dirname(r),{recursive:!0}),await Ot(r,o),n.push(s.path))}return{changed:n.length>0,files:n}}};function jt(e){return e instanceof $?e.status===409||e.status===422&&/fast.forward|reference cannot be updated/i.test(e.message):!1}var G=class{#e;#t;#n;#r;#s;#i;constructor(t,n,s,r={}){this.#e=t,this.#t=n,this.#n=s,this.#r=r.log,this.#s=r.attempts??6,this.#i=r.delayMs??250}async apply(t){for(let n=1;;n++)try{return await this.#a(t)}catch(s){if(!jt(s)||n>=this.#s)throw Ft(s);this.#r?.info(`${this.#n} moved while committing (${s.status}); re-reading and re-applying (attempt ${n+1}/${this.#s})`),await new Promise(r=>setTimeout(r,this.#i*n*(.5+Math.random())))}}async#o(t,n){let s=x(this.#t),r;try{r=await this.#e.request("GET",`${s}/contents/${N(t)}`,{ref:n})}catch(o){if(o instanceof $&&o.status===404)return;throw o}if(r.encoding==="base64"&&r.content!==void 0)return Buffer.from(r.content,"base64").toString("utf8");let i=await this.#e.request("GET",`${s}/git/blobs/${r.sha}`);return Buffer.from(i.content,"base64").toString("utf8")}async#a(t){let n=x(this.#t),s=(await this.#e.request("GET",`${n}/git/ref/heads/${N(this.#n)}`)).object.sha,r=await this.#e.request("GET",`${n}/git/commits/${s}`),i=[];for(let l of t.edits){let u=await this.#o(l.path,s),d=l.apply(u);d!==u&&i.push({path:l.path,mode:"100644",type:"blob",content:d})}if(i.length===0)return{changed:!1,files:[]};let o=await this.#e.request("POST",`${n}/git/trees`,{base_tree:r.tree.sha,tree:i}),a=await this.#e.request("POST",`${n}/git/commits`,{message:t.message,tree:o.sha,parents:[s]});return await this.#e.request("PATCH",`${n}/git/refs/heads/${N(this.#n)}`,{sha:a.sha,force:!1}),{changed:!0,files:i.map(l=>l.path),commitSha:a.sha}}};function Ft(e){return e instanceof $&&/protected branch/i.test(e.message)?new U(`${e.message}
The branch is protected: use mode pull-request, or allow the token to push to it.`,{cause:e}):e}var V=class{#e;#t;#n;#r;constructor(t,n,s,r={}){this.#e=t,this.#t=n,this.#n=s,this.#r=r.log}async#s(t){return(await this.#e.paginate(`${x(this.#t)}/pulls`,{state:"open",head:`${this.#t.owner}:${t}`,base:this.#n}))[0]}async apply(t){let n=x(this.#t),s=`memory-bank/${t.key}`,r=await this.#s(s);if(!r){let o=(await this.#e.request("GET",`${n}/git/ref/heads/${N(this.#n)}`)).object.sha;try{await this.#e.request("GET",`${n}/git/ref/heads/${N(s)}`),await this.#e.request("PATCH",`${n}/git/refs/heads/${N(s)}`,{sha:o,force:!0})}catch(a){if(!(a instanceof $&&a.status===404))throw a;await this.#e.request("POST",`${n}/git/refs`,{ref:`refs/heads/${s}`,sha:o})}}let i=await new G(this.#e,this.#t,s,this.#r?{log:this.#r}:{}).apply(t);if(r)return{...i,pullRequestUrl:r.html_url};if(!i.changed)return i;try{r=await this.#e.request("POST",`${n}/pulls`,{title:t.message.split(`
`)[0],head:s,base:this.#n,body:`${t.message}

Opened by the memory-bank action; re-runs update this pull request.`})}catch(o){if(!(o instanceof $&&o.status===422))throw o;if(r=await this.#s(s),!r)throw new U(`Could not open a pull request from ${s}: ${o.message}`)}return{...i,pullRequestUrl:r.html_url}}};var tt=["record-deploy","record-progress","index","lint"],nt=["files","commit","pull-request"];function Yt(e,t){let n=e.enum("command",tt,{required:!0}),s=e.string("github-token");t.setSecret(s);let r=e.string("deploy-url");if(r&&!/^https?:\/\/[^\s]+$/.test(r))throw new y("deploy-url",`${e.label("deploy-url")} must be an http(s) URL, got '${r}'.`);let i=e.string("dir",{default:"memory-bank"});if(z.isAbsolute(i)||z.posix.normalize(i.replace(/\\/g,"/")).startsWith(".."))throw new y("dir",`${e.label("dir")} must be a folder inside the repository (relative path), got '${i}'.`);return{command:n,dir:i,language:e.enum("language",v),environment:e.string("environment",{default:"production"}),version:e.string("version"),deployUrl:r,result:e.enum("result",Ce,{default:"success"}),pr:e.integer("pr",{min:1}),mode:e.enum("mode",nt,{default:"files"}),token:s}}function ue(e,t){if(e===void 0)throw new y(t,`${t} is not set; this command runs in a GitHub Actions workflow.`);return e}async function Kt(e,t,n){let s=z.resolve(t.workspace,e.dir),r=z.relative(t.workspace,s).split(z.sep).join("/")||".",i=xe(n.now?.()),o=Wt(s)?await S(s,{language:e.language}):void 0,a=e.language??o?.language??"en",l,u=async()=>{if(!e.token)throw new y("github-token",`${e.command} in ${e.mode} mode needs github-token.`);return l??=await(n.github??Re)(e.token,t.apiUrl),l},d=e.pr??t.event.pull_request?.number??t.event.number;if(e.command==="lint"){if(!o)throw new y("dir",`Memory bank folder '${e.dir}' does not exist.`);let p=Be(o,{display:r});if(e.token&&t.repository&&d!==void 0)try{p.push(...await Se(o,r,await u(),t.repository,d))}catch(m){n.log.warning(`ADR numbers were not compared with other open pull requests: ${H(m)}`)}return{command:"lint",changed:!1,files:[],problems:p}}let c;if(e.command==="index"){if(!o)throw new y("dir",`Memory bank folder '${e.dir}' does not exist.`);c=Ue(o,r,i)}else if(e.command==="record-deploy")c=Te(await zt(e,t,i,n.log,e.token?u:void 0),r,a);else{let p=await Zt(ue(d,"pr"),t,e.token?u:void 0);if(!p)return{command:e.command,changed:!1,files:[],note:`Pull request #${d} is not merged; nothing recorded.`};c=De(p,r,a)}return{command:e.command,...await(await Vt(e,t,u,n.log)).apply(c)}}async function Vt(e,t,n,s){if(e.mode==="files")return new K(t.workspace);let r=ue(t.repository,"GITHUB_REPOSITORY"),i=t.ref?.startsWith("refs/heads/")?t.ref.slice(11):t.baseRef??t.event.repository?.default_branch;if(!i)throw new y("mode",`mode ${e.mode} needs a branch: the workflow runs on ${t.ref??"no ref"}, which is not a branch.`);return e.mode==="commit"?new G(await n(),r,i,{log:s}):new V(await n(),r,i,{log:s})}async function zt(e,t,n,s,r){let i=ue(t.runId,"GITHUB_RUN_ID"),o=t.repository?`${t.serverUrl}/${t.repository.owner}/${t.repository.repo}`:void 0,a=t.ref?.startsWith("refs/tags/")?t.ref.slice(10):void 0,l=e.version??a??t.sha?.slice(0,7);if(!l)throw new y("version","version is required when the run has no tag or commit (GITHUB_SHA).");let u=e.pr??t.event.pull_request?.number;if(u===void 0&&r&&t.repository&&t.sha)try{u=(await(await r()).request("GET",`${x(t.repository)}/commits/${t.sha}/pulls`))[0]?.number}catch(d){s.warning(`Could not find the pull request of ${t.sha.slice(0,7)}: ${H(d)}`)}return{environment:e.environment,runId:i,version:l,result:e.result,date:n,commit:t.sha?{text:t.sha.slice(0,7),url:o&&`${o}/commit/${t.sha}`}:void 0,pullRequest:u===void 0?void 0:{text:`#${u}`,url:o&&`${o}/pull/${u}`},deployUrl:e.deployUrl,runUrl:o&&`${o}/actions/runs/${i}`}}async function Zt(e,t,n){let s=t.event.pull_request?.number===e?t.event.pull_request:void 0;if(!s){if(!n)throw new y("github-token",`Reading pull request #${e} needs github-token (the event does not carry it).`);s=await(await n()).request("GET",`${x(ue(t.repository,"GITHUB_REPOSITORY"))}/pulls/${e}`)}if(!s.merged_at)return;let r=s.merge_commit_sha??void 0,i=t.repository?`${t.serverUrl}/${t.repository.owner}/${t.repository.repo}`:void 0;return{number:e,title:s.title,url:s.html_url,author:s.user?.login,date:s.merged_at.slice(0,10),commit:r?{text:r.slice(0,7),url:i&&`${i}/commit/${r}`}:void 0}}function Qt(e){if(e.command==="lint"){let n=e.problems??[];return n.length===0?`### Memory bank lint

No problems found.
`:`### Memory bank lint

${n.length} problem(s):

${Q(["File","Line","Rule","Problem"],n.map(s=>[s.file,s.line,s.rule,s.message]))}`}let t=[`### Memory bank: ${e.command}`,""];return e.note?t.push(e.note):e.changed?t.push(`Updated ${e.files.map(n=>`\`${n}\``).join(", ")}.`):t.push("Already up to date: nothing changed."),e.commitSha&&t.push("",`Commit: ${e.commitSha}`),e.pullRequestUrl&&t.push("",`Pull request: ${e.pullRequestUrl}`),`${t.join(`
`)}
`}function Jt(e){let t=e.problems?.length??0;if(t>0)throw new _e(`memory-bank lint found ${t} problem(s).`)}import{existsSync as Xt,readFileSync as en}from"node:fs";function tn(e,t=process.cwd()){let n=e.GITHUB_EVENT_PATH,s=n&&Xt(n)?JSON.parse(en(n,"utf8")||"{}"):{};return{workspace:e.GITHUB_WORKSPACE||t,repository:e.GITHUB_REPOSITORY?we(e.GITHUB_REPOSITORY,"GITHUB_REPOSITORY"):void 0,serverUrl:(e.GITHUB_SERVER_URL||"https://github.com").replace(/\/$/,""),apiUrl:(e.GITHUB_API_URL||"https://api.github.com").replace(/\/$/,""),runId:e.GITHUB_RUN_ID||void 0,sha:e.GITHUB_SHA||void 0,ref:e.GITHUB_REF||void 0,baseRef:e.GITHUB_BASE_REF||void 0,event:s}}import{existsSync as st}from"node:fs";import{mkdir as nn,readFile as it,rename as rn,writeFile as Ie}from"node:fs/promises";import A from"node:path";async function de(e,t,n,s){e.files.get(t)!==n&&(await Ie(A.join(e.dir,t),n),e.files.set(t,n),s.add(t))}async function le(e,t,n){let s=await S(e.dir,{language:e.language}),r=s.files.get("decisionLog.md")??R(e.language,n)["decisionLog.md"];await de(s,"decisionLog.md",Y(r,s.adrs,s.language),t)}function sn(e,t,n){let s=h[n],r=X(e,"status",s.status.superseded,n),i=L(e.file,r),o=[...new Set([...e.supersededBy.filter(a=>a!==t.number).map(a=>f(a)),he(t)])];return r=X(i,"supersededBy",o.join(", "),n),r}async function on(e,t){let n=t.title.trim();if(!n)throw new y("title",'The ADR title is required: pipeline-toolkit adr new "Title".');await nn(e,{recursive:!0});let s=await S(e,{language:t.language}),r=t.supersedes===void 0?void 0:W(s,t.supersedes),i=s.adrs.map(d=>({number:d.number,file:d.file,source:"local"})),o=Ae([...i,...t.usedElsewhere??[]]),a=ye(o,n),l=be({number:o,title:n,status:t.status??"proposed",date:t.date,language:s.language,...r?{supersedes:r}:{}});await Ie(A.join(e,a),l,{flag:"wx"});let u=new Set([a]);return r&&await de(s,r.file,sn(r,{number:o,file:a},s.language),u),await le(s,u,t.date),{adr:L(a,l),files:[...u]}}async function an(e,t,n,s){let r=await S(e,{language:s.language}),i=W(r,t),o=new Set;return await de(r,i.file,X(i,"status",h[r.language].status[n],r.language),o),await le(r,o,s.date),{adr:L(i.file,r.files.get(i.file)??""),files:[...o]}}async function un(e,t,n,s){let r=await S(e,{language:s.language}),i=r.adrs.filter(c=>c.number===t&&(!s.file||c.file===s.file));if(i.length!==1)throw i.length===0&&W(r,t),new y("number",`ADR ${t} is used by ${i.map(c=>c.file).join(" and ")}; say which one with --file.`);let o=i[0],a=r.adrs.find(c=>c.number===n);if(a)throw new y("number",`${f(n)} is already used by ${a.file}; pick a free number.`);let l=o.file.replace(/^ADR-\d+/i,`ADR-${j(n)}`);if(st(A.join(e,l)))throw new y("number",`${l} already exists.`);let u=new Set,d=r.adrs.some(c=>c!==o&&c.number===t);for(let[c,p]of r.files){let m=d?p.split(o.file).join(l).replace(cn(t),g=>c===o.file?rt(g,n):g):p.replace(ln(t),g=>rt(g,n));await de(r,c,m,u)}await rn(A.join(e,o.file),A.join(e,l)),u.delete(o.file),u.add(l),r.files.set(l,r.files.get(o.file)??""),r.files.delete(o.file),await le(r,u,s.date);for(let c of await dn(e,o.file,l,s.exec??O))u.add(c);return{adr:L(l,await it(A.join(e,l),"utf8")),files:[...u]}}async function dn(e,t,n,s){let r=await ne(e,s).catch(()=>{});if(!r)return[];let i=await s("git",["ls-files","-z","--","*.md","*.markdown"],{cwd:r.top}),o=t.replace(/[.*+?^${}()|[\]\\]/g,"\\$&"),a=new RegExp(`(?<![\\w.-])${o}`,"g"),l=[];for(let u of i.stdout.split("\0").filter(Boolean)){let d=A.join(r.top,u);if(A.dirname(d)===A.resolve(e)||!st(d))continue;let c=await it(d,"utf8"),p=c.replace(a,n);p!==c&&(await Ie(d,p),l.push(A.relative(e,d)))}return l}function ln(e){return new RegExp(`\\bADR([-\\s]?)0*${e}(?!\\d)`,"gi")}function cn(e){return new RegExp(`^#\\s+ADR([-\\s]?)0*${e}(?!\\d)`,"im")}function rt(e,t){return e.replace(/(ADR[-\s]?)0*\d+$/i,(n,s)=>`${s}${j(t)}`)}async function pn(e,t){let n=await S(e,{language:t.language}),s=new Set;return await le(n,s,t.date),[...s]}export{v as a,J as b,h as c,me as d,fe as e,_ as f,j as g,f as h,Oe as i,ye as j,I as k,L as l,be as m,ee as n,P as o,F as p,R as q,S as r,W as s,bt as t,xe as u,$ as v,we as w,xt as x,Re as y,ne as z,wt as A,re as B,$e as C,Ae as D,ke as E,Ke as F,Se as G,Ee as H,Y as I,Le as J,Pe as K,Be as L,Ce as M,se as N,ie as O,oe as P,Ne as Q,Te as R,De as S,Ue as T,K as U,G as V,V as W,tt as X,nt as Y,Yt as Z,Kt as _,Qt as $,Jt as aa,tn as ba,on as ca,an as da,un as ea,pn as fa};
